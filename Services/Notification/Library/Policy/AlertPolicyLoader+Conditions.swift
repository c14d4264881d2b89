extension AlertPolicyLoader {
    static func parseConditions(
        _ value: Any?, _ reader: PolicyReader
    ) throws(AlertPolicyError) -> [AlertPolicy.Condition] {
        var conditions: [AlertPolicy.Condition] = []
        for (index, entry) in try reader.list(value, at: "conditions").enumerated() {
            let id = (entry as? [String: Any])?["id"] as? String ?? "?"
            let place = "condition #\(index + 1) (id: \(id))"
            let map = try reader.map(entry, at: place, allowed: ["id", "models", "score", "clear", "rules"])
            guard id != "?" else { throw reader.error(place, "needs an id") }
            var models: [AlertPolicy.ModelMatch] = []
            for model in try reader.list(map["models"], at: "\(place) models") {
                let fields = try reader.map(model, at: "\(place) models", allowed: ["id", "versions"])
                models.append(
                    AlertPolicy.ModelMatch(
                        id: try reader.string(fields["id"], at: "\(place) models id"),
                        versions: try reader.strings(fields["versions"], at: "\(place) models versions")))
            }
            let clear = try reader.map(map["clear"], at: "\(place) clear", allowed: ["below", "for"])
            var rules: [AlertPolicy.Rule] = []
            for (number, rule) in try reader.list(map["rules"], at: "\(place) rules").enumerated() {
                rules.append(try parseRule(rule, place: place, number: number + 1, reader))
            }
            conditions.append(
                AlertPolicy.Condition(
                    id: id, models: models, score: try reader.string(map["score"], at: "\(place) score"),
                    clear: AlertPolicy.Clear(
                        below: try reader.number(clear["below"], at: "\(place) clear.below"),
                        for: try reader.duration(clear["for"], at: "\(place) clear.for")),
                    rules: rules))
        }
        return conditions
    }

    private static func parseRule(
        _ entry: Any, place condition: String, number: Int, _ reader: PolicyReader
    ) throws(AlertPolicyError) -> AlertPolicy.Rule {
        let id = (entry as? [String: Any])?["id"] as? String ?? "?"
        let place = "\(condition) rule #\(number) (id: \(id))"
        let map = try reader.map(entry, at: place, allowed: ["id", "when", "severity", "ladder"])
        guard id != "?" else { throw reader.error(place, "needs an id") }
        let when = try reader.map(map["when"], at: place, allowed: ["score", "anyPart"])
        guard when["score"] != nil || when["anyPart"] != nil else {
            throw reader.error(place, "when needs score or anyPart")
        }
        var score: AlertPolicy.Threshold?
        if let bounds = when["score"] {
            let fields = try reader.map(bounds, at: "\(place) when.score", allowed: ["gte", "gt", "lte", "lt"])
            guard !fields.isEmpty else { throw reader.error(place, "when.score needs gte, gt, lte or lt") }
            func bound(_ key: String) throws(AlertPolicyError) -> Double? {
                fields[key] == nil ? nil : try reader.number(fields[key], at: "\(place) when.score.\(key)")
            }
            score = AlertPolicy.Threshold(
                gte: try bound("gte"), gt: try bound("gt"), lte: try bound("lte"), lt: try bound("lt"))
        }
        var anyPart: AlertPolicy.Threshold?
        if let bounds = when["anyPart"] {
            let fields = try reader.map(bounds, at: "\(place) when.anyPart", allowed: ["gte"])
            anyPart = AlertPolicy.Threshold(gte: try reader.number(fields["gte"], at: "\(place) when.anyPart.gte"))
        }
        return AlertPolicy.Rule(
            id: id, when: AlertPolicy.When(score: score, anyPart: anyPart),
            severity: try reader.severity(map["severity"], at: place),
            ladder: map["ladder"] == nil ? nil : try reader.string(map["ladder"], at: "\(place) ladder"))
    }
}
