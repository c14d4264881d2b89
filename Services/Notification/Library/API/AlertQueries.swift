import Foundation
import VigilModelCore
import VigilPostgres

/// Read side of alerts: episodes (their JSON state) and their revisions from `notify.alert_events`.
struct AlertQueries: Sendable {
    struct Filter: Sendable {
        var statuses: [EpisodeState.Status] = EpisodeState.Status.allCases.filter(\.isLive)
        var severity: AlertEvent.Severity?
        var rule: String?
        var unit: String?
        var since: Date?
        var limit = 500
    }

    struct Revision: Sendable {
        var revision: Int
        var action: String
        var severity: String
        var page: Bool
        var actor: String?
        var reasonCode: String?
        /// The free text of an override (from the published payload).
        var reason: String?
        var time: Date
    }

    let pool: PostgresPool

    /// Most severe first, then oldest first: the order a worklist is worked in.
    func list(_ filter: Filter) async throws -> [EpisodeState] {
        let rows = try await pool.query(
            """
            SELECT state::text FROM notify.episodes
            WHERE status = ANY(\(PostgresTextArray(filter.statuses.map(\.rawValue)))::text[])
              AND (\(filter.severity?.rawValue)::text IS NULL OR severity = \(filter.severity?.rawValue))
              AND (\(filter.rule)::text IS NULL OR state->>'rule' = \(filter.rule))
              AND (\(filter.unit)::text IS NULL OR state->>'unit' = \(filter.unit))
              AND (\(filter.since)::timestamptz IS NULL OR opened_at >= \(filter.since))
            ORDER BY array_position(ARRAY['critical','high','medium','low','info'], severity), opened_at
            LIMIT \(filter.limit)
            """)
        return try rows.map { try Self.episode($0.decode(String.self, at: 0)) }
    }

    func episode(_ id: EventID) async throws -> EpisodeState? {
        let rows = try await pool.query("SELECT state::text FROM notify.episodes WHERE id = \(id.rawValue)")
        return try rows.first.map { try Self.episode($0.decode(String.self, at: 0)) }
    }

    func revisions(_ id: EventID) async throws -> [Revision] {
        let rows = try await pool.query(
            """
            SELECT revision, action, severity, page, actor, reason_code, payload::jsonb->>'reason', created_at
            FROM notify.alert_events WHERE episode_id = \(id.rawValue) ORDER BY revision
            """)
        return try rows.map { row in
            let (revision, action, severity, page, actor, code, reason, time) = try row.decode(
                (Int, String, String, Bool, String?, String?, String?, Date).self)
            return Revision(
                revision: revision, action: action, severity: severity, page: page, actor: actor, reasonCode: code,
                reason: reason, time: time)
        }
    }

    /// This condition's scores of the patient over the last `hours` (the alert page's trend).
    /// The episode's scores over `hours` of clinical time up to the patient's newest event. Event times are
    /// de-identified (shifted per patient), so the patient's own newest event is the only honest "now";
    /// records without an event time fall back to when they were decided.
    func trend(of episode: EpisodeState, hours: Double = 24) async throws -> (end: Date, points: [(Date, Double)]) {
        let end = try await latestEventTime(episode.patient) ?? Date()
        let rows = try await pool.query(
            """
            SELECT coalesce(event_time, decided_at) AS t, value FROM notify.risk_decisions
            WHERE patient = \(episode.patient.rawValue) AND condition = \(episode.condition)
              AND model_id = \(episode.model.id) AND coalesce(event_time, decided_at) >= \(end.addingTimeInterval(-hours * 3600))
            ORDER BY t LIMIT 2000
            """)
        return (end, try rows.map { try $0.decode((Date, Double).self) })
    }

    /// The newest event time seen for the patient (clinical, de-identified time).
    func latestEventTime(_ patient: Pseudonym) async throws -> Date? {
        let rows = try await pool.query(
            "SELECT latest_event_time FROM notify.patients WHERE patient = \(patient.rawValue)")
        return try rows.first?.decode(Date?.self) ?? nil
    }

    static func episode(_ text: String) throws -> EpisodeState {
        try VigilJSON.decode(EpisodeState.self, from: Array(text.utf8))
    }
}
