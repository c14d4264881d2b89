import Foundation
import VigilPostgres

/// Alert-fatigue figures over `[from, to)` (design §8), computed in SQL from `notify.alert_events` and
/// `notify.risk_decisions`. A monitored patient-day is a (patient, UTC day) with at least one live decision,
/// which needs no complete ADT feed.
public struct FatigueFigures: Sendable {
    public struct Rule: Sendable {
        public var rule: String
        public var alerts: Int
        public var pages: Int
        /// Episodes acknowledged or overridden in the window.
        public var addressed: Int
        public var overridden: Int
    }

    public var from: Date
    public var to: Date
    public var patientDays: Int
    public var alerts: Int
    public var pages: Int
    /// Episodes with an acknowledgement or an override in the window, and those overridden.
    public var addressed: Int
    public var overridden: Int
    public var overridesByReason: [(code: String, count: Int)]
    public var medianSecondsToAcknowledge: Double?
    public var p90SecondsToAcknowledge: Double?
    /// Of the episodes raised in the window and closed since, those never acknowledged.
    public var closed: Int
    public var closedUnacknowledged: Int
    public var byRule: [Rule]

    public var alertsPerPatientDay: Double? { patientDays > 0 ? Double(alerts) / Double(patientDays) : nil }
    public var pagesPerPatientDay: Double? { patientDays > 0 ? Double(pages) / Double(patientDays) : nil }
    public var overrideRate: Double? { addressed > 0 ? Double(overridden) / Double(addressed) : nil }
    public var neverAcknowledgedShare: Double? { closed > 0 ? Double(closedUnacknowledged) / Double(closed) : nil }
}

struct FatigueQueries: Sendable {
    let pool: PostgresPool

    func figures(from: Date, to: Date) async throws -> FatigueFigures {
        let days = try await pool.query(
            """
            SELECT count(*)::int FROM (SELECT DISTINCT patient, (decided_at AT TIME ZONE 'UTC')::date
              FROM notify.risk_decisions WHERE mode = 'live' AND decided_at >= \(from) AND decided_at < \(to)) d
            """)
        let rules = try await pool.query(
            """
            SELECT coalesce(e.state->>'rule', ''), count(*) FILTER (WHERE a.action = 'raised')::int,
              count(*) FILTER (WHERE a.page)::int,
              count(DISTINCT a.episode_id) FILTER (WHERE a.action IN ('acknowledged', 'overridden'))::int,
              count(DISTINCT a.episode_id) FILTER (WHERE a.action = 'overridden')::int
            FROM notify.alert_events a JOIN notify.episodes e ON e.id = a.episode_id
            WHERE a.created_at >= \(from) AND a.created_at < \(to) GROUP BY 1 ORDER BY 1
            """)
        let reasons = try await pool.query(
            """
            SELECT coalesce(reason_code, ''), count(*)::int FROM notify.alert_events
            WHERE action = 'overridden' AND created_at >= \(from) AND created_at < \(to) GROUP BY 1 ORDER BY 2 DESC, 1
            """)
        let acks = try await pool.query(
            """
            WITH episodes AS (
              SELECT episode_id, min(created_at) FILTER (WHERE action = 'raised') AS raised_at,
                min(created_at) FILTER (WHERE action = 'acknowledged') AS acked_at,
                bool_or(action IN ('overridden', 'resolved', 'retracted')) AS closed
              FROM notify.alert_events GROUP BY episode_id)
            SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acked_at - raised_at)::float8),
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM acked_at - raised_at)::float8),
              count(*) FILTER (WHERE closed)::int, count(*) FILTER (WHERE closed AND acked_at IS NULL)::int
            FROM episodes WHERE raised_at >= \(from) AND raised_at < \(to)
            """)
        let byRule = try rules.map { row in
            let (rule, alerts, pages, addressed, overridden) = try row.decode((String, Int, Int, Int, Int).self)
            return FatigueFigures.Rule(
                rule: rule, alerts: alerts, pages: pages, addressed: addressed, overridden: overridden)
        }
        let (median, p90, closed, unacknowledged) =
            try acks.first?.decode((Double?, Double?, Int, Int).self) ?? (nil, nil, 0, 0)
        return FatigueFigures(
            from: from, to: to, patientDays: try days.first?.decode(Int.self, at: 0) ?? 0,
            alerts: byRule.reduce(0) { $0 + $1.alerts }, pages: byRule.reduce(0) { $0 + $1.pages },
            addressed: byRule.reduce(0) { $0 + $1.addressed }, overridden: byRule.reduce(0) { $0 + $1.overridden },
            overridesByReason: try reasons.map { try $0.decode((String, Int).self) }.map { (code: $0.0, count: $0.1) },
            medianSecondsToAcknowledge: median, p90SecondsToAcknowledge: p90, closed: closed,
            closedUnacknowledged: unacknowledged, byRule: byRule)
    }
}
