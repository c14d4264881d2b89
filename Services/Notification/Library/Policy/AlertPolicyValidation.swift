/// The checks that need the whole policy (cross references, hysteresis, caps). Run once at load.
enum AlertPolicyValidation {
    static let snoozeCap = PolicyDuration.hours(4)

    static func validate(_ policy: AlertPolicy, _ reader: PolicyReader) throws(AlertPolicyError) {
        try checkDefaults(policy.defaults, reader)
        try checkLadders(policy, reader)
        guard policy.routes.last?.units.contains("*") == true else {
            throw reader.error("routes", "the last route must match every unit (`*`)")
        }
        for (index, route) in policy.routes.enumerated() where policy.ladders[route.ladder] == nil {
            throw reader.error("route #\(index + 1)", "ladder \(route.ladder) is not defined")
        }
        try checkConditions(policy, reader)
    }

    private static func checkDefaults(
        _ defaults: AlertPolicy.Defaults, _ reader: PolicyReader
    ) throws(AlertPolicyError) {
        guard defaults.snooze.max <= snoozeCap else { throw reader.error("defaults.snooze.max", "must be at most 4h") }
        guard !defaults.snooze.allowedFor.contains(.critical) else {
            throw reader.error("defaults.snooze.allowedFor", "critical alerts may never be snoozed")
        }
        guard defaults.remind.max >= defaults.remind.first else {
            throw reader.error("defaults.remind", "max must be at least first")
        }
    }

    private static func checkLadders(_ policy: AlertPolicy, _ reader: PolicyReader) throws(AlertPolicyError) {
        var targets: Set<String> = []
        for target in policy.targets where !targets.insert(target).inserted {
            throw reader.error("targets", "\(target) is listed twice")
        }
        guard policy.ladders[AlertPolicy.noLadder] == nil else {
            throw reader.error("ladder \(AlertPolicy.noLadder)", "the name is reserved for rules that never escalate")
        }
        for name in policy.ladders.keys.sorted() {
            let steps = policy.ladders[name]!
            for (index, step) in steps.enumerated() {
                let place = "ladder \(name) step #\(index + 1)"
                if index > 0, step.after <= steps[index - 1].after {
                    throw reader.error(place, "after must be later than the step before")
                }
                if let unknown = step.targets.first(where: { !targets.contains($0) }) {
                    throw reader.error(place, "unknown target \(unknown)")
                }
            }
        }
    }

    private static func checkConditions(_ policy: AlertPolicy, _ reader: PolicyReader) throws(AlertPolicyError) {
        var ids: Set<String> = []
        var modelScores: [String: String] = [:]  // "<model id> <score>" → condition id
        for (index, condition) in policy.conditions.enumerated() {
            let place = "condition #\(index + 1) (id: \(condition.id))"
            guard ids.insert(condition.id).inserted else {
                throw reader.error(place, "id \(condition.id) is used twice")
            }
            for model in condition.models {
                let key = "\(model.id) \(condition.score)"
                if let other = modelScores[key] {
                    throw reader.error(
                        place, "model \(model.id) with score \(condition.score) is already in condition \(other)")
                }
                modelScores[key] = condition.id
            }
            for (number, rule) in condition.rules.enumerated() {
                let rulePlace = "\(place) rule #\(number + 1) (id: \(rule.id))"
                guard ids.insert(rule.id).inserted else { throw reader.error(rulePlace, "id \(rule.id) is used twice") }
                if let ladder = rule.ladder, ladder != AlertPolicy.noLadder, policy.ladders[ladder] == nil {
                    throw reader.error(rulePlace, "ladder \(ladder) is not defined")
                }
                // No gap between clearing and raising means an episode flaps on every record near the line.
                let lower = [rule.when.score?.gte, rule.when.score?.gt].compactMap { $0 }.min()
                if let lower, !(condition.clear.below < lower) {
                    throw reader.error(
                        rulePlace, "clear.below \(condition.clear.below) must be strictly below the threshold \(lower)")
                }
            }
        }
    }
}
