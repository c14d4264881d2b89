import Foundation
import VigilAudit

/// When each model was stopped, rebuilt from the audit log and the gates: at the model level (the oversight
/// stop switch: `model.stop`/`model.restart` on `model:<id>`, and `notify.model_gates`) and per version (the
/// registry: entries on `model:<id>@<version>` whose details give the status). A version is stopped when either
/// says so. Infer's per-version echo of a gate change is a registry change in its own right: it says when infer
/// itself stopped.
struct StopHistory {
    struct Change {
        var at: Date
        var stopped: Bool
        var actor: String
        var reason: String?
        /// The audit entry behind it; nil for the gate row.
        var seq: Int64?
    }

    private(set) var models: [String: [Change]] = [:]
    private(set) var versions: [String: [Change]] = [:]

    init(audit: [AuditRecord], gates: [EvidenceReader.GateRow]) {
        for record in audit where record.subject.hasPrefix("model:") {
            let target = record.subject.dropFirst("model:".count)
            let change = Change(
                at: record.at, stopped: Self.stops(record), actor: record.actor, reason: record.reason, seq: record.seq)
            if target.contains("@") {
                versions[String(target), default: []].append(change)
            } else if record.action == "model.stop" || record.action == "model.restart" {
                models[String(target), default: []].append(change)
            }
        }
        for gate in gates {
            models[gate.row.modelId, default: []].append(
                Change(
                    at: gate.changedAt, stopped: gate.row.status == "stopped", actor: gate.row.changedBy,
                    reason: gate.row.reason, seq: nil))
        }
        models = models.mapValues(Self.ordered)
        versions = versions.mapValues(Self.ordered)
    }

    /// By time; at equal times audit entries (in seq order) stay ahead of the gate row.
    static func ordered(_ changes: [Change]) -> [Change] {
        changes.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element)
    }

    /// Whether an entry leaves its subject stopped: a stop, or a status change (or registration) to `stopped`.
    static func stops(_ record: AuditRecord) -> Bool {
        if record.action == "model.stop" { return true }
        if record.action == "model.restart" { return false }
        guard let details = record.details else { return false }
        return JSONValue.parse(details)["status"] == .string("stopped")
    }

    /// The stop in force for the model (or this version of it) at `time`, if any.
    func stop(model: String, version: String?, at time: Date) -> Change? {
        if let change = Self.latest(models[model], at: time), change.stopped { return change }
        if let version, let change = Self.latest(versions["\(model)@\(version)"], at: time), change.stopped {
            return change
        }
        return nil
    }

    private static func latest(_ changes: [Change]?, at time: Date) -> Change? {
        changes?.last { $0.at <= time }
    }
}
