import Foundation
import VigilPostgres

/// Reads `notify.policy_versions`. The version in force at a time is the approved one with the latest
/// `effective_at` not after it (ties: the higher version); rolled-back, rejected and proposed versions never are.
/// Each approved version thus takes effect at its own time, as scheduled, and stays until a later one does.
public struct PolicyVersionStore: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Every version, newest first, without YAML or report.
    public func list() async throws -> [PolicyVersion] {
        let rows = try await pool.query(
            "SELECT \(unescaped: PolicyVersion.columns) FROM notify.policy_versions ORDER BY version DESC")
        return try rows.map(PolicyVersion.init(row:))
    }

    /// One version with its YAML and shadow report.
    public func version(_ number: Int) async throws -> PolicyVersion? {
        try await pool.withConnection { try await Self.version(number, on: $0, lock: false) }
    }

    /// The version in force at `now`, with its YAML; nil when none is (the file or built-in policy applies).
    public func current(at now: Date = Date()) async throws -> PolicyVersion? {
        try await pool.withConnection { try await Self.current(at: now, on: $0) }
    }

    static func version(_ number: Int, on connection: PostgresConnection, lock: Bool) async throws -> PolicyVersion? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: PolicyVersion.columns), yaml, shadow_report FROM notify.policy_versions
            WHERE version = \(number) \(unescaped: lock ? "FOR UPDATE" : "")
            """)
        return try rows.first.map(PolicyVersion.init(row:))
    }

    static func current(at now: Date, on connection: PostgresConnection) async throws -> PolicyVersion? {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: PolicyVersion.columns), yaml FROM notify.policy_versions
            WHERE status = 'approved' AND effective_at <= \(now)
            ORDER BY effective_at DESC, version DESC LIMIT 1
            """)
        return try rows.first.map(PolicyVersion.init(row:))
    }
}
