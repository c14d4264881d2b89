import Foundation
import VigilPostgres

/// What identifies an inbound message for deduplication: its sender, its control id and its content.
public struct MessageFingerprint: Sendable, Hashable {
    public var sourceSystem: String
    public var controlID: String
    public var contentSHA256: [UInt8]

    public init(sourceSystem: String, controlID: String, contentSHA256: [UInt8]) {
        self.sourceSystem = sourceSystem
        self.controlID = controlID
        self.contentSHA256 = contentSHA256
    }
}

public enum LedgerVerdict: String, Sendable, Hashable {
    /// Never seen: publish.
    case new
    /// Seen with the same content: already on the broker, acknowledge without publishing again.
    case duplicate
    /// Seen with different content under the same control id: publish under a content-derived id, flag.
    case conflict
}

/// The `ingest.messages` ledger. `check` runs before publishing and `record` after the broker confirmed,
/// so a message whose publish failed is never marked as seen (its resend is published, not dropped).
public struct DedupeLedger: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Verdicts for a batch, in order. Repeats inside the batch are judged against earlier occurrences.
    public func check(_ fingerprints: [MessageFingerprint]) async throws -> [LedgerVerdict] {
        guard !fingerprints.isEmpty else { return [] }
        let systems = fingerprints.map(\.sourceSystem)
        let ids = fingerprints.map(\.controlID)
        // A version already recorded as a conflict is, when resent, a duplicate of that version.
        let rows = try await pool.query(
            """
            SELECT m.source_system, m.control_id, m.content_sha256, c.conflict_sha256
            FROM ingest.messages m
            JOIN unnest(\(PostgresTextArray(systems))::text[], \(PostgresTextArray(ids))::text[]) AS k(s, c)
              ON m.source_system = k.s AND m.control_id = k.c
            LEFT JOIN ingest.conflicts c ON c.source_system = m.source_system AND c.control_id = m.control_id
            """)
        var known: [Key: Set<[UInt8]>] = [:]
        for row in rows {
            let (system, id, hash, conflict) = try row.decode((String, String, [UInt8], [UInt8]?).self)
            known[Key(system: system, id: id), default: []].insert(hash)
            if let conflict { known[Key(system: system, id: id), default: []].insert(conflict) }
        }
        return fingerprints.map { fingerprint in
            let key = Key(system: fingerprint.sourceSystem, id: fingerprint.controlID)
            guard let seen = known[key] else {
                known[key] = [fingerprint.contentSHA256]
                return .new
            }
            if seen.contains(fingerprint.contentSHA256) { return .duplicate }
            known[key, default: []].insert(fingerprint.contentSHA256)
            return .conflict
        }
    }

    /// Records messages that reached the broker; conflicts also go to `ingest.conflicts`.
    public func record(_ fingerprints: [MessageFingerprint], eventCounts: [Int]) async throws {
        try await pool.withTransaction { connection in
            for (fingerprint, count) in zip(fingerprints, eventCounts) {
                let rows = try await connection.query(
                    """
                    INSERT INTO ingest.messages (source_system, control_id, content_sha256, event_count)
                    VALUES (\(fingerprint.sourceSystem), \(fingerprint.controlID), \(fingerprint.contentSHA256), \(count))
                    ON CONFLICT (source_system, control_id) DO UPDATE
                      SET last_seen_at = now(), times_seen = ingest.messages.times_seen + 1
                    RETURNING content_sha256
                    """)
                let stored = try rows.first?.decode([UInt8].self, at: 0)
                if let stored, stored != fingerprint.contentSHA256 {
                    try await connection.execute(
                        """
                        INSERT INTO ingest.conflicts (source_system, control_id, first_sha256, conflict_sha256)
                        VALUES (\(fingerprint.sourceSystem), \(fingerprint.controlID), \(stored), \(fingerprint.contentSHA256))
                        ON CONFLICT DO NOTHING
                        """)
                }
            }
        }
    }

    /// Forgets messages not seen for `age`; returns how many. Resends older than that are new again.
    public func purge(olderThan age: Duration) async throws -> Int {
        let seconds = Double(age.components.seconds)
        return try await pool.execute(
            "DELETE FROM ingest.messages WHERE last_seen_at < now() - make_interval(secs => \(seconds))")
    }

    private struct Key: Hashable {
        var system: String
        var id: String
    }
}
