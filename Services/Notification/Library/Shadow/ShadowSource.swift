import Foundation
import VigilModelCore
import VigilPostgres

/// What a shadow replay reads: the risk records infer stored (`infer.risk_records`, every model and status,
/// by when they were stored) and the confirmed outcomes notify recorded. Needs a role that reads both schemas
/// (the operator's `vigil` CLI).
public struct ShadowSource: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Records stored in [from, to); either end open when nil.
    public func records(from: Date?, to: Date?) async throws -> [RiskRecord] {
        let rows = try await pool.query(
            """
            SELECT record FROM infer.risk_records
            WHERE (\(from == nil) OR created_at >= \(from ?? .distantPast))
              AND (\(to == nil) OR created_at < \(to ?? .distantFuture))
            ORDER BY pseudonym, event_time, revision
            """)
        return try rows.map { row in
            try VigilJSON.decode(RiskRecord.self, from: Array(try row.decode(String.self, at: 0).utf8))
        }
    }

    /// Confirmed onsets by condition, for the patients of `records`.
    public func onsets(for records: [RiskRecord], conditions: [String]) async throws -> [String: [Pseudonym: Date]] {
        let patients = Array(Set(records.map(\.patient)))
        let outcomes = OutcomeStore(pool: pool)
        var result: [String: [Pseudonym: Date]] = [:]
        for condition in conditions {
            result[condition] = try await outcomes.onsets(condition: condition, patients: patients)
        }
        return result
    }
}
