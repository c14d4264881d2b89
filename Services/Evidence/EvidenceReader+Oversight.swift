import Foundation
import VigilModelCore
import VigilPostgres

extension EvidenceReader {
    /// A gate row with its time as a date, for the stop history.
    struct GateRow {
        var row: HumanOversight.Gate
        var changedAt: Date
    }

    /// Acknowledgements, overrides and snoozes recorded in the period, with the alert's pseudonym and model.
    static func alertActions(_ connection: PostgresConnection, _ period: Period) async throws -> [HumanOversight
        .AlertAction]
    {
        let rows = try await connection.query(
            """
            SELECT a.id, a.episode_id, a.action, a.created_at, a.actor, a.reason_code, a.payload, a.severity,
              e.patient, e.condition, e.model_id
            FROM notify.alert_events a JOIN notify.episodes e ON e.id = a.episode_id
            WHERE a.action IN ('acknowledged', 'overridden', 'snoozed')
              AND a.created_at >= \(period.from) AND a.created_at < \(period.to)
            ORDER BY a.created_at, a.id
            """)
        return try rows.map { row in
            let (id, alert, action, at, actor, code, payload, severity, patient, condition, model) = try row.decode(
                (String, String, String, Date, String?, String?, String, String, String, String, String).self)
            // The payload is what was published; the reason text and snooze end live only there.
            let event = try? VigilJSON.decode(AlertEvent.self, from: Array(payload.utf8))
            return .init(
                eventId: id, alertId: alert, action: action, at: EvidenceTime.text(at), actor: actor, reasonCode: code,
                reasonText: event?.reason, snoozedUntil: event?.lifecycle?.snoozedUntil.map(EvidenceTime.text),
                patient: patient, condition: condition, modelId: model, severity: severity)
        }
    }

    /// Alerts raised and acted on per UTC day, every day of the period listed (zero days included).
    static func perDay(_ connection: PostgresConnection, _ period: Period) async throws -> [HumanOversight.DayCount] {
        let rows = try await connection.query(
            """
            SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'), action, count(*)::int
            FROM notify.alert_events
            WHERE action IN ('raised', 'acknowledged', 'overridden', 'snoozed')
              AND created_at >= \(period.from) AND created_at < \(period.to)
            GROUP BY 1, 2
            """)
        var counts: [String: [String: Int]] = [:]
        for row in rows {
            let (day, action, count) = try row.decode((String, String, Int).self)
            counts[day, default: [:]][action] = count
        }
        var days: [HumanOversight.DayCount] = []
        var day = EvidenceTime.startOfDay(period.from)
        while day < period.to {
            let found = counts[EvidenceTime.day(day)] ?? [:]
            days.append(
                .init(
                    day: EvidenceTime.day(day), raised: found["raised"] ?? 0, acknowledged: found["acknowledged"] ?? 0,
                    overridden: found["overridden"] ?? 0, snoozed: found["snoozed"] ?? 0))
            day = day.addingTimeInterval(86400)
        }
        return days
    }

    /// Each model's gate as it stands now: `notify.model_gates` keeps only the latest change per model (the
    /// history is in the audit log).
    static func gates(_ connection: PostgresConnection) async throws -> [GateRow] {
        let rows = try await connection.query(
            "SELECT model_id, status, reason, changed_by, changed_at FROM notify.model_gates ORDER BY model_id")
        return try rows.map { row in
            let (model, status, reason, by, at) = try row.decode((String, String, String, String, Date).self)
            return GateRow(
                row: .init(
                    modelId: model, status: status, reason: reason, changedBy: by, changedAt: EvidenceTime.text(at)),
                changedAt: at)
        }
    }
}
