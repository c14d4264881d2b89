import ArgumentParser
import Foundation
import Inference
import Notification
import VigilAudit
import VigilModelCore
import VigilPostgres

/// The one stop switch, as the oversight page throws it: notify's gate (its live alerts retracted, audited as
/// `model.stop`), then the same change applied to inference's registry at once, so the model stops scoring even
/// while notify is down. When notify relays the gate to inference later, that copy is no newer and changes
/// nothing; a restart from the page or `vigil model restart` gives each version back the status it had.
struct StopSwitch {
    let pool: PostgresPool
    let policy: AlertPolicy

    /// Returns the versions that were running (stop) or stopped by the switch (restart) before, and the number
    /// of live alerts retracted.
    func set(_ modelID: String, stopped: Bool, user: String, reason: String) async throws -> (versions: [String], retracted: Int) {
        let before = try await versions(modelID, stopped: stopped)
        let now = Timestamp.normalized(Date())
        let principal = NotifyPrincipals.Principal(id: user, tokenSHA256: "", roles: [.admin])
        let retracted = try await ModelGates(store: AlertStore(pool: pool, policy: policy))
            .change(modelID, stop: stopped, reason: reason, by: principal, now: now)
        try await ModelRegistry(pool: pool, audit: AuditLog(pool: pool)).applyGate(
            ModelGateChange(modelID: modelID, stopped: stopped, actor: principal.actor, reason: reason, changedAt: now))
        return (before, retracted)
    }

    /// Running versions (to stop), or the versions the switch stopped (to restart).
    func versions(_ modelID: String, stopped: Bool) async throws -> [String] {
        let rows =
            stopped
            ? try await pool.query(
                "SELECT version FROM infer.models WHERE id = \(modelID) AND status IN ('active', 'shadow') ORDER BY version")
            : try await pool.query(
                "SELECT version FROM infer.model_gate_stops WHERE model_id = \(modelID) ORDER BY version")
        return try rows.map { try $0.decode(String.self, at: 0) }
    }
}

/// What `model stop` and `model restart` take: the model, who and why, and notify's policy (the retraction runs
/// through notify's alert store).
struct StopSwitchOptions: ParsableArguments {
    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "Model id, e.g. sepsis-lgbm.") var id: String
    @OptionGroup var change: ModelChange
    @Option(help: "The alert policy YAML notify runs (env VIGIL_NOTIFY_POLICY).")
    var policy = ProcessInfo.processInfo.environment["VIGIL_NOTIFY_POLICY"] ?? "config/notify/alert-policy.yaml"

    /// Throws the switch after checking the role and that there is something to change.
    func set(stopped: Bool) async throws -> (versions: [String], retracted: Int) {
        try change.requireAdmin()
        let policy = try Shadow.policy(policy, fallback: true)
        return try await connection.withPool(size: 2) { pool in
            let stopSwitch = StopSwitch(pool: pool, policy: policy)
            guard !(try await stopSwitch.versions(id, stopped: stopped)).isEmpty else {
                throw CLIFailure(
                    stopped
                        ? "no active or shadow version of \(id) to stop; `vigil model list` shows the statuses"
                        : "the stop switch has not stopped \(id); `vigil model list` shows the statuses")
            }
            return try await stopSwitch.set(id, stopped: stopped, user: change.user, reason: change.reason)
        }
    }
}
