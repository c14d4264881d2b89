import Foundation
import VigilModelCore

/// Which model a candidate configuration scores with: `id` or `id@version`.
public struct ModelSelector: Hashable, Sendable, Codable, CustomStringConvertible {
    public var id: String
    public var version: String?

    public init?(_ text: String) {
        let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard let id = parts.first, !id.isEmpty, parts.count == 1 || !parts[1].isEmpty else { return nil }
        self.id = id
        version = parts.count == 2 ? parts[1] : nil
    }

    public var description: String { version.map { "\(id)@\($0)" } ?? id }

    func selects(_ model: ModelReference) -> Bool { model.id == id && (version == nil || model.version == version) }
}

/// A shadow replay's answer: both configurations' figures per condition, and the episodes that differ.
public struct ShadowReport: Hashable, Sendable, Codable {
    public struct Configuration: Hashable, Sendable, Codable {
        public var policyName: String
        public var policyVersion: String
        public var policyHash: String
        /// `production` (active records as scored) or the candidate model's selector.
        public var records: String
    }

    public struct Row: Hashable, Sendable, Codable {
        public var condition: String
        public var production: ShadowFigures
        public var candidate: ShadowFigures
    }

    public var generatedAt: Date
    public var windowFrom: Date?
    public var windowTo: Date?
    public var records: Int
    public var production: Configuration
    public var candidate: Configuration
    public var outcomeWindow: OutcomeWindow
    public var figures: [Row]
    public var diff: [ShadowDiff.Change]

    /// Production sees the records of active models, as they were scored. The candidate sees the selected
    /// model's records (whatever their status; a shadow model is what one wants to try) in place of that
    /// model's active ones, plus every other active record, decided by the candidate policy.
    public static func make(
        records: [RiskRecord], onsets: [String: [Pseudonym: Date]], production: AlertPolicy, candidate: AlertPolicy,
        model: ModelSelector?, windowFrom: Date? = nil, windowTo: Date? = nil, outcomeWindow: OutcomeWindow = .init(),
        now: Date = Date()
    ) throws -> ShadowReport {
        let active = records.filter { $0.modelStatus == .active }
        let chosen =
            model.map { selector in
                records.filter { selector.selects($0.model) } + active.filter { $0.model.id != selector.id }
            } ?? active
        let before = try ShadowReplay(policy: production).run(active)
        let after = try ShadowReplay(policy: candidate).run(chosen)
        let exposure = ShadowFigures.exposure(records)
        var conditions = production.conditions.map(\.id)
        for id in candidate.conditions.map(\.id) where !conditions.contains(id) { conditions.append(id) }
        let rows = conditions.map { id in
            Row(
                condition: id,
                production: ShadowFigures(
                    condition: id, episodes: before, exposure: exposure, onsets: onsets[id] ?? [:], window: outcomeWindow),
                candidate: ShadowFigures(
                    condition: id, episodes: after, exposure: exposure, onsets: onsets[id] ?? [:], window: outcomeWindow))
        }
        func configuration(_ policy: AlertPolicy, _ records: String) -> Configuration {
            Configuration(policyName: policy.name, policyVersion: policy.version, policyHash: policy.hash, records: records)
        }
        return ShadowReport(
            generatedAt: Timestamp.normalized(now), windowFrom: windowFrom, windowTo: windowTo, records: records.count,
            production: configuration(production, "production"),
            candidate: configuration(candidate, model?.description ?? "production"), outcomeWindow: outcomeWindow,
            figures: rows, diff: ShadowDiff(production: before, candidate: after).changes)
    }
}
