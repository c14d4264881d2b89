import Foundation

/// The summary and its findings: what a reviewer reads first and what the command prints.
enum EvidenceSummary {
    static func make(
        recordKeeping: RecordKeeping, transparency: Transparency, oversight: HumanOversight,
        monitoring: PostMarketMonitoring, candidates: [IncidentCandidate], unwatchedOutcomes: [String: Int]
    ) -> EvidencePack.Summary {
        let chain = recordKeeping.chain
        var findings: [String] = []
        if chain.status == "broken" {
            findings.append(
                "The audit chain is BROKEN at seq \(chain.brokenSeq ?? 0) (\(chain.brokenReason ?? "unknown")): the log was "
                    + "altered after it was written; entries from that seq on cannot be relied on.")
        }
        var byKind: [String: Int] = [:]
        for candidate in candidates { byKind[candidate.kind.rawValue, default: 0] += 1 }
        if !candidates.isEmpty {
            let parts = IncidentCandidate.Kind.allCases.compactMap { kind in
                byKind[kind.rawValue].map { "\($0) \(kind.rawValue)" }
            }
            findings.append(
                "\(candidates.count) serious-incident candidate\(candidates.count == 1 ? "" : "s") to review "
                    + "(\(parts.joined(separator: ", "))).")
        }
        if !unwatchedOutcomes.isEmpty {
            let conditions = unwatchedOutcomes.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
            findings.append(
                "Confirmed outcomes of conditions no live model decided (\(conditions.joined(separator: ", "))) are not "
                    + "listed as missed alerts: nothing was running that could alert.")
        }
        for model in transparency.models where !model.registered {
            findings.append(
                "\(model.id)@\(model.version) made decisions in the period but is not in the model registry.")
        }
        let actions = oversight.actions
        return .init(
            auditChainIntact: chain.status == "intact", auditChain: chain.description,
            auditEntries: recordKeeping.entries.count, modelVersions: transparency.models.count,
            modelVersionsInUse: transparency.models.filter(\.inUse).count, policies: transparency.policies.count,
            acknowledgements: actions.filter { $0.action == "acknowledged" }.count,
            overrides: actions.filter { $0.action == "overridden" }.count,
            snoozes: actions.filter { $0.action == "snoozed" }.count,
            stopSwitchUses: oversight.stopSwitchUses.count, identityReveals: oversight.identityReveals.count,
            monitoringWindows: monitoring.windows.count, governanceAlerts: monitoring.governanceAlerts.count,
            incidentCandidates: candidates.count, incidentCandidatesByKind: byKind,
            outcomesWithoutLiveModel: unwatchedOutcomes.values.reduce(0, +), findings: findings)
    }
}
