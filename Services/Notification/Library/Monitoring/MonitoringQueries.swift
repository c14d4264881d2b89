import Foundation
import VigilModelCore
import VigilPostgres

/// What the oversight page and the API show of monitoring: stored windows and governance alerts.
struct MonitoringQueries: Sendable {
    struct Window: Sendable {
        var model: String
        var version: String
        var start: Date
        var cohort: String
        var mode: String
        var figures: SafetyFigures
    }

    let pool: PostgresPool

    /// The windows of the `days` before the newest one stored (not before today: a quiet month still shows).
    func windows(days: Int = 30) async throws -> [Window] {
        let rows = try await pool.query(
            """
            SELECT model_id, model_version, window_start, cohort, mode, figures::text FROM notify.monitoring_windows
            WHERE window_start >= (SELECT max(window_start) FROM notify.monitoring_windows) - \(days) * interval '1 day'
            ORDER BY model_id, model_version, window_start, cohort
            """)
        return try rows.map { row in
            let (model, version, start, cohort, mode, figures) = try row.decode((String, String, Date, String, String, String).self)
            return Window(
                model: model, version: version, start: start, cohort: cohort, mode: mode,
                figures: try VigilJSON.decode(SafetyFigures.self, from: Array(figures.utf8)))
        }
    }

    func governanceAlerts(limit: Int = 100) async throws -> [GovernanceAlert] {
        let rows = try await pool.query(
            "SELECT payload FROM notify.governance_alerts ORDER BY window_start DESC, raised_at DESC, id LIMIT \(limit)")
        return try rows.map { try VigilJSON.decode(GovernanceAlert.self, from: Array(try $0.decode(String.self, at: 0).utf8)) }
    }
}
