import Foundation
import VigilModelCore
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

    /// Records messages that reached the broker; conflicts also go to `ingest.conflicts`. Two statements per
    /// batch whatever its size: the MLLP listener records every read's messages at once.
    /// `traces`: each message's trace id and receive time (kept from the first occurrence).
    public func record(
        _ fingerprints: [MessageFingerprint], eventCounts: [Int], traces: [(id: String, receivedAt: Date)] = []
    ) async throws {
        guard !fingerprints.isEmpty else { return }
        // One row per key (ON CONFLICT DO UPDATE may touch a row once per statement): the first occurrence.
        var firstIndex: [Key: Int] = [:]
        for (index, fingerprint) in fingerprints.enumerated() where firstIndex[fingerprint.key] == nil {
            firstIndex[fingerprint.key] = index
        }
        let unique = firstIndex.values.sorted()
        func hex(_ bytes: [UInt8]) -> String { Hex.encode(bytes) }
        try await pool.withTransaction { connection in
            let rows = try await connection.query(
                """
                INSERT INTO ingest.messages AS m
                  (source_system, control_id, content_sha256, event_count, trace_id, received_at)
                SELECT s, c, decode(h, 'hex'), n::integer, nullif(t, ''), to_timestamp(nullif(r, '')::double precision)
                FROM unnest(\(PostgresTextArray(unique.map { fingerprints[$0].sourceSystem }))::text[],
                            \(PostgresTextArray(unique.map { fingerprints[$0].controlID }))::text[],
                            \(PostgresTextArray(unique.map { hex(fingerprints[$0].contentSHA256) }))::text[],
                            \(PostgresTextArray(unique.map { String(eventCounts[$0]) }))::text[],
                            \(PostgresTextArray(unique.map { $0 < traces.count ? traces[$0].id : "" }))::text[],
                            \(PostgresTextArray(unique.map { $0 < traces.count ? String(traces[$0].receivedAt.timeIntervalSince1970) : "" }))::text[])
                  AS k(s, c, h, n, t, r)
                ON CONFLICT (source_system, control_id) DO UPDATE
                  SET last_seen_at = now(), times_seen = m.times_seen + 1
                RETURNING m.source_system, m.control_id, m.content_sha256
                """)
            var stored: [Key: [UInt8]] = [:]
            for row in rows {
                let (system, id, hash) = try row.decode((String, String, [UInt8]).self)
                stored[Key(system: system, id: id)] = hash
            }
            let conflicts = fingerprints.filter { fingerprint in
                stored[fingerprint.key].map { $0 != fingerprint.contentSHA256 } ?? false
            }
            guard !conflicts.isEmpty else { return }
            try await connection.execute(
                """
                INSERT INTO ingest.conflicts (source_system, control_id, first_sha256, conflict_sha256)
                SELECT s, c, m.content_sha256, decode(h, 'hex')
                FROM unnest(\(PostgresTextArray(conflicts.map(\.sourceSystem)))::text[],
                            \(PostgresTextArray(conflicts.map(\.controlID)))::text[],
                            \(PostgresTextArray(conflicts.map { hex($0.contentSHA256) }))::text[]) AS k(s, c, h)
                JOIN ingest.messages m ON m.source_system = k.s AND m.control_id = k.c
                ON CONFLICT DO NOTHING
                """)
        }
    }

    /// Forgets messages not seen for `age`; returns how many. Resends older than that are new again.
    public func purge(olderThan age: Duration) async throws -> Int {
        let seconds = Double(age.components.seconds)
        return try await pool.execute(
            "DELETE FROM ingest.messages WHERE last_seen_at < now() - make_interval(secs => \(seconds))")
    }

    fileprivate struct Key: Hashable {
        var system: String
        var id: String
    }
}

extension MessageFingerprint {
    fileprivate var key: DedupeLedger.Key { DedupeLedger.Key(system: sourceSystem, id: controlID) }
}
