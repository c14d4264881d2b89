import Foundation
import Metrics
import VigilModelCore
import VigilPostgres

extension AlertStore {
    /// Writes the engine's effects in order; returns the emitted events.
    /// `traceparent`: the risk record's trace context, published with the events it caused.
    static func write(
        _ effects: [Effect], _ connection: PostgresConnection, traceparent: TraceParent? = nil
    ) async throws -> [AlertEmission] {
        var emitted: [AlertEmission] = []
        for effect in effects {
            switch effect {
            case .emit(let emission):
                let event = emission.published
                let payload = String(decoding: try VigilJSON.encode(event), as: UTF8.self)
                _ = try await connection.execute(
                    """
                    INSERT INTO notify.alert_events
                      (id, episode_id, revision, action, severity, page, actor, reason_code, payload, traceparent)
                    VALUES (\(event.id.rawValue), \(event.alertID.rawValue), \(emission.revision), \(event.action.rawValue),
                            \(event.severity.rawValue), \(emission.page), \(event.actor), \(emission.reasonCode), \(payload),
                            \(traceparent?.rawValue))
                    """)
                _ = try await connection.execute("INSERT INTO notify.outbox (event_id) VALUES (\(event.id.rawValue))")
                // Webhook deliveries commit with the event that causes them; the dispatcher sends them.
                let body = try CloudEvent(payload: event, source: "vigil-notify", traceparent: traceparent).structuredJSON()
                try await SubscriptionStore.enqueue(
                    using: connection, eventID: event.id, body: String(decoding: body, as: UTF8.self),
                    severity: event.severity, rule: event.rule, action: event.action)
                emitted.append(emission)
                if event.action == .escalated {
                    Counter(
                        label: "vigil_notify_escalations_total",
                        dimensions: [("rule", event.rule), ("level", String(emission.escalationLevel))]
                    ).increment()
                }
            case .setTimer(let timer):
                _ = try await connection.execute(
                    """
                    INSERT INTO notify.timers (alert_id, kind, due_at, step)
                    VALUES (\(timer.alertID.rawValue), \(timer.kind.rawValue), \(timer.dueAt), \(timer.step))
                    ON CONFLICT (alert_id, kind) DO UPDATE SET due_at = excluded.due_at, step = excluded.step
                    """)
            case .cancelTimers(let alertID, let kinds):
                _ = try await connection.execute(
                    """
                    DELETE FROM notify.timers WHERE alert_id = \(alertID.rawValue)
                      AND kind = ANY(\(PostgresTextArray(kinds.map(\.rawValue)))::text[])
                    """)
            case .decide(let decision):
                Counter(
                    label: "vigil_notify_risk_records_total",
                    dimensions: [("outcome", decision.outcome.rawValue), ("mode", decision.mode.rawValue)]
                ).increment()
                if let reason = decision.suppressReason {
                    Counter(label: "vigil_notify_suppressed_total", dimensions: [("reason", reason.rawValue)]).increment()
                }
                _ = try await connection.execute(
                    """
                    INSERT INTO notify.risk_decisions (risk_id, patient, model_id, model_version, score_name, value, mode,
                      decision, suppress_reason, condition, rule, severity, episode_id, policy_hash, decided_at, event_time)
                    VALUES (\(decision.riskID.rawValue), \(decision.patient.rawValue), \(decision.model.id),
                            \(decision.model.version), \(decision.scoreName), \(decision.value), \(decision.mode.rawValue),
                            \(decision.outcome.rawValue), \(decision.suppressReason?.rawValue), \(decision.condition),
                            \(decision.rule), \(decision.severity?.rawValue), \(decision.alertID?.rawValue),
                            \(decision.policyHash), \(decision.decidedAt), \(decision.eventTime))
                    ON CONFLICT (risk_id) DO NOTHING
                    """)
            }
        }
        return emitted
    }
}
