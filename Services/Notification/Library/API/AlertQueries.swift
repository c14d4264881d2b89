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
    func trend(of episode: EpisodeState, hours: Double = 24, now: Date = Date()) async throws -> [(Date, Double)] {
        let rows = try await pool.query(
            """
            SELECT decided_at, value FROM notify.risk_decisions
            WHERE patient = \(episode.patient.rawValue) AND condition = \(episode.condition)
              AND model_id = \(episode.model.id) AND decided_at >= \(now.addingTimeInterval(-hours * 3600))
            ORDER BY decided_at LIMIT 2000
            """)
        return try rows.map { try $0.decode((Date, Double).self) }
    }

    static func episode(_ text: String) throws -> EpisodeState {
        try VigilJSON.decode(EpisodeState.self, from: Array(text.utf8))
    }
}
