import Foundation
import VigilPostgres

/// Appends entries to the hash-chained audit log through `audit.append()`, which serializes appenders,
/// links each entry to its predecessor and computes the hash inside PostgreSQL.
///
/// Callers must keep PHI out of every field (see `AuditRecord`).
public struct AuditLog: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Appends an entry on a pooled connection and returns it as stored.
    ///
    /// `details` is stored as JSON with sorted keys; empty details are stored as NULL.
    @discardableResult
    public func append(
        actor: String, action: String, subject: String, reason: String? = nil, details: [String: String] = [:]
    ) async throws -> AuditRecord {
        try await pool.withConnection { connection in
            try await Self.append(
                using: connection, actor: actor, action: action, subject: subject, reason: reason, details: details)
        }
    }

    /// Appends an entry on the caller's connection. Inside the caller's transaction the entry commits or rolls
    /// back together with the action it records; appenders wait for that transaction to end.
    @discardableResult
    public static func append(
        using connection: PostgresConnection, actor: String, action: String, subject: String,
        reason: String? = nil, details: [String: String] = [:]
    ) async throws -> AuditRecord {
        let json = try detailsJSON(details)
        let rows = try await connection.query(
            """
            SELECT \(unescaped: AuditRecord.selectList)
            FROM audit.append(\(actor), \(action), \(subject), \(reason), \(json))
            """)
        guard let row = rows.first else {
            throw PostgresError(code: .queryFailed, message: "audit.append returned no row")
        }
        return try AuditRecord(row: row)
    }

    static func detailsJSON(_ details: [String: String]) throws -> String? {
        guard !details.isEmpty else { return nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(details), as: UTF8.self)
    }
}
