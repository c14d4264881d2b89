import Foundation
import VigilPostgres

/// Reads entries of the audit log as stored, for reports that show them (e.g. the evidence pack).
public enum AuditExtract {
    /// Entries with `from <= at < to` (either end open when nil), in seq order, optionally only `actions`.
    /// Rows come back exactly as stored, hashes included, so a reader can re-check them with `AuditCanonical`.
    public static func entries(
        using connection: PostgresConnection, from: Date?, to: Date?, actions: [String]? = nil
    ) async throws -> [AuditRecord] {
        let rows = try await connection.query(
            """
            SELECT \(unescaped: AuditRecord.selectList) FROM audit.log
            WHERE (\(from == nil) OR at >= \(from ?? Date.distantPast)) AND (\(to == nil) OR at < \(to ?? Date.distantFuture))
              AND (\(actions == nil) OR action = ANY(\(PostgresTextArray(actions ?? []))::text[]))
            ORDER BY seq
            """)
        return try rows.map { try AuditRecord(row: $0) }
    }
}
