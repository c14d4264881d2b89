import Foundation
import VigilPostgres

extension EvidenceReader {
    /// Monitoring windows that start in the period, every cohort.
    static func windows(_ connection: PostgresConnection, _ period: Period) async throws -> [PostMarketMonitoring
        .Window]
    {
        let rows = try await connection.query(
            """
            SELECT model_id, model_version, window_start, window_end, cohort, mode, figures::text, computed_at
            FROM notify.monitoring_windows
            WHERE window_start >= \(period.from) AND window_start < \(period.to)
            ORDER BY window_start, model_id, model_version, cohort
            """)
        return try rows.map { row in
            let (model, version, start, end, cohort, mode, figures, computed) = try row.decode(
                (String, String, Date, Date, String, String, String, Date).self)
            return .init(
                modelId: model, modelVersion: version, windowStart: EvidenceTime.text(start),
                windowEnd: EvidenceTime.text(end),
                cohort: cohort, mode: mode, figures: JSONValue.parse(figures), computedAt: EvidenceTime.text(computed))
        }
    }

    /// Governance alerts about a window of the period, or raised in it (a late computation of an earlier window).
    static func governanceAlerts(
        _ connection: PostgresConnection, _ period: Period
    ) async throws -> [PostMarketMonitoring.GovernanceAlertRow] {
        let rows = try await connection.query(
            """
            SELECT id, model_id, model_version, window_start, cohort, metric, value, threshold, severity, raised_at,
              published_at
            FROM notify.governance_alerts
            WHERE (window_start >= \(period.from) AND window_start < \(period.to))
               OR (raised_at >= \(period.from) AND raised_at < \(period.to))
            ORDER BY raised_at, id
            """)
        return try rows.map { row in
            let (id, model, version, start, cohort, metric, value, threshold, severity, raised, published) =
                try row.decode(
                    (String, String, String, Date, String, String, Double, Double, String, Date, Date?).self)
            return .init(
                id: id, modelId: model, modelVersion: version, windowStart: EvidenceTime.text(start), cohort: cohort,
                metric: metric, value: value, threshold: threshold, severity: severity,
                raisedAt: EvidenceTime.text(raised),
                publishedAt: published.map(EvidenceTime.text))
        }
    }
}
