import VigilModelCore

extension AlertPolicy {
    /// The condition a record belongs to (by score name and model), nil when the policy ignores it. Validation
    /// guarantees at most one.
    public func condition(for record: RiskRecord) -> Condition? {
        conditions.first { $0.score == record.scoreName && $0.models.contains { $0.matches(record.model) } }
    }

    public func condition(id: String) -> Condition? {
        conditions.first { $0.id == id }
    }

    /// The ladder name for a patient in `unit` (nil: no unit yet, so the `*` route).
    public func routedLadder(unit: String?) -> String {
        let route = routes.first { route in route.units.contains { Glob.matches($0, unit ?? "") } }
        // Validation guarantees a final `*` route.
        return route?.ladder ?? routes.last!.ladder
    }

    /// The steps an episode of `rule` escalates through; a rule with `ladder: none` keeps only the routed first
    /// step, so it is delivered but never escalates.
    public func ladder(for rule: Rule, unit: String?) -> [LadderStep] {
        let routed = ladders[routedLadder(unit: unit)] ?? []
        switch rule.ladder {
        case nil: return routed
        case Self.noLadder?: return Array(routed.prefix(1))
        case let name?: return ladders[name] ?? []
        }
    }
}

extension AlertPolicy.Condition {
    /// The highest-severity rule the record satisfies (rules of equal severity: the first listed).
    public func matchingRule(_ record: RiskRecord) -> AlertPolicy.Rule? {
        var best: AlertPolicy.Rule?
        for rule in rules where rule.matches(record) {
            if best == nil || rule.severity > best!.severity { best = rule }
        }
        return best
    }

    /// Below `clear.below` and matching no rule: counts towards resolving the episode.
    public func isClear(_ record: RiskRecord) -> Bool {
        record.value < clear.below && matchingRule(record) == nil
    }

    public func rule(id: String) -> AlertPolicy.Rule? {
        rules.first { $0.id == id }
    }
}
