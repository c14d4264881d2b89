import Foundation
import VigilKafka
import VigilModelCore

/// `governance.model-status.v1` → the registry: the oversight stop switch (a person with the admin role on
/// notify's page or API, named in the change) stops every version of the model, and a restart gives each
/// back the status it had.
public struct ModelGateHandler: StageHandler {
    let registry: ModelRegistry

    public init(registry: ModelRegistry) {
        self.registry = registry
    }

    public func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome] {
        var outcomes: [StageOutcome] = []
        for message in batch {
            guard
                let change = try? ModelGateChange.decode(
                    headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value)
            else {
                outcomes.append(.deadLetter(DeadLetterReason(code: "decode_error", detail: "not a model gate change")))
                continue
            }
            try await registry.applyGate(change)
            outcomes.append(.produce([]))
        }
        return outcomes
    }
}

extension ModelRegistry {
    /// Applies a stop-switch change to every registered version of the model, audited with the person
    /// behind it. A redelivered or older change than the last applied one changes nothing.
    public func applyGate(_ change: ModelGateChange) async throws {
        let changed = try await pool.withTransaction { connection -> [(String, String)] in
            let newer = try await connection.query(
                """
                INSERT INTO infer.model_gates_applied (model_id, changed_at) VALUES (\(change.modelID), \(change.changedAt))
                ON CONFLICT (model_id) DO UPDATE SET changed_at = excluded.changed_at
                WHERE infer.model_gates_applied.changed_at < excluded.changed_at
                RETURNING 1
                """)
            guard !newer.isEmpty else { return [] }
            let rows =
                change.stopped
                ? try await connection.query(
                    """
                    WITH stopped AS (
                      INSERT INTO infer.model_gate_stops (model_id, version, previous_status)
                      SELECT id, version, status FROM infer.models WHERE id = \(change.modelID) AND status IN ('active', 'shadow')
                      ON CONFLICT DO NOTHING RETURNING model_id, version)
                    UPDATE infer.models m SET status = 'stopped', changed_at = now() FROM stopped s
                    WHERE m.id = s.model_id AND m.version = s.version RETURNING m.version, 'stopped'
                    """)
                : try await connection.query(
                    """
                    WITH restored AS (
                      DELETE FROM infer.model_gate_stops WHERE model_id = \(change.modelID)
                      RETURNING model_id, version, previous_status)
                    UPDATE infer.models m SET status = r.previous_status, changed_at = now() FROM restored r
                    WHERE m.id = r.model_id AND m.version = r.version AND m.status = 'stopped'
                    RETURNING m.version, m.status
                    """)
            return try rows.map { try $0.decode((String, String).self) }
        }
        for (version, status) in changed {
            _ = try await audit.append(
                actor: change.actor, action: change.stopped ? "model.stop" : "model.restart",
                subject: "model:\(change.modelID)@\(version)", reason: change.reason,
                details: ["status": status, "via": "oversight stop switch"])
        }
        invalidate()
    }
}
