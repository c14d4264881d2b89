import Foundation
import Synchronization
import Testing
import VigilAudit
import VigilPostgres

@Suite("Audit log", .enabled(if: TestDatabase.isConfigured), .timeLimit(.minutes(2)))
struct AuditLogTests {
    struct Boom: Error {}

    /// Appends `count` entries one after another.
    static func fill(_ pool: PostgresPool, _ count: Int) async throws {
        let log = AuditLog(pool: pool)
        for index in 1...count {
            try await log.append(
                actor: "service:test", action: "test.append", subject: "item:\(index)",
                reason: index % 2 == 0 ? "even" : nil, details: ["index": "\(index)"])
        }
    }

    /// Runs `sql` as the superuser with the append-only trigger switched off for the transaction.
    static func tamper(_ pool: PostgresPool, _ sql: String) async throws {
        try await pool.withConnection { connection in
            try await connection.simpleExecute(
                """
                BEGIN; ALTER TABLE audit.log DISABLE TRIGGER log_append_only; \(sql);
                ALTER TABLE audit.log ENABLE ALWAYS TRIGGER log_append_only; COMMIT
                """)
        }
    }

    @Test("100 appends from 8 concurrent tasks form an intact chain")
    func concurrentAppends() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let log = AuditLog(pool: database.pool)
            let records = try await withThrowingTaskGroup(of: [AuditRecord].self) { group in
                for task in 0..<8 {
                    group.addTask {
                        var mine: [AuditRecord] = []
                        for index in stride(from: task, to: 100, by: 8) {
                            mine.append(
                                try await log.append(
                                    actor: "service:task-\(task)", action: "test.append", subject: "item:\(index)",
                                    reason: index % 3 == 0 ? nil : "reason ✓", details: ["index": "\(index)"]))
                        }
                        return mine
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }.sorted { $0.seq < $1.seq }
            }
            #expect(records.map(\.seq) == Array(1...100))
            #expect(records.allSatisfy { $0.computedHash == $0.hash }, "Swift and SQL hash the same bytes")
            let verification = try await AuditVerifier.verify(database.pool, pageSize: 16)
            #expect(verification == .intact(rows: 100, head: AuditHead(seq: 100, hash: records[99].hash)))
        }
    }

    @Test("an empty log is intact at the genesis hash")
    func empty() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let verification = try await AuditVerifier.verify(database.pool)
            #expect(verification == .intact(rows: 0, head: AuditHead(seq: 0, hash: AuditCanonical.genesisHash)))
        }
    }

    @Test("an edited row is reported at its seq")
    func editedRow() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            try await Self.fill(database.pool, 60)
            try await Self.tamper(database.pool, "UPDATE audit.log SET subject = 'item:other' WHERE seq = 37")
            let verification = try await AuditVerifier.verify(database.pool, pageSize: 7)
            #expect(verification == .broken(BrokenLink(seq: 37, reason: .hashMismatch)))
        }
    }

    @Test("an edited row whose hash was recomputed breaks the link to its successor")
    func editedAndRehashed() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            try await Self.fill(database.pool, 60)
            try await Self.tamper(
                database.pool,
                """
                UPDATE audit.log SET subject = 'item:other', hash = sha256(audit.canonical(seq,
                    (extract(epoch FROM at) * 1000000)::bigint, actor, action, 'item:other', reason, details, prev_hash))
                WHERE seq = 37
                """)
            let verification = try await AuditVerifier.verify(database.pool, pageSize: 7)
            #expect(verification == .broken(BrokenLink(seq: 38, reason: .prevHashMismatch)))
        }
    }

    @Test("a deleted row is reported as the missing seq")
    func deletedRow() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            try await Self.fill(database.pool, 60)
            try await Self.tamper(database.pool, "DELETE FROM audit.log WHERE seq = 50")
            let verification = try await AuditVerifier.verify(database.pool, pageSize: 7)
            #expect(verification == .broken(BrokenLink(seq: 50, reason: .sequenceGap)))
        }
    }

    @Test("two rows swapped in order are reported at the first of them")
    func reorderedRows() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            try await Self.fill(database.pool, 60)
            try await Self.tamper(
                database.pool,
                """
                UPDATE audit.log SET seq = 1000000 WHERE seq = 40;
                UPDATE audit.log SET seq = 40 WHERE seq = 41;
                UPDATE audit.log SET seq = 41 WHERE seq = 1000000
                """)
            let verification = try await AuditVerifier.verify(database.pool, pageSize: 7)
            #expect(verification == .broken(BrokenLink(seq: 40, reason: .hashMismatch)))
        }
    }

    @Test("UPDATE, DELETE and TRUNCATE are rejected, also for the superuser in replica mode")
    func appendOnly() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            try await Self.fill(database.pool, 3)
            for statement in [
                "UPDATE audit.log SET actor = 'x' WHERE seq = 2", "DELETE FROM audit.log WHERE seq = 3",
                "DELETE FROM audit.log WHERE false", "TRUNCATE audit.log",
            ] {
                let error = await #expect(throws: PostgresError.self) {
                    try await database.pool.execute(PostgresQuery(unsafeSQL: statement))
                }
                #expect(error?.sqlState == "P0001")
                #expect(error?.message.contains("append-only") == true)
            }
            let replica = await #expect(throws: PostgresError.self) {
                try await database.pool.withTransaction { connection in
                    try await connection.simpleExecute(
                        "SET LOCAL session_replication_role = replica; UPDATE audit.log SET actor = 'x'")
                }
            }
            #expect(replica?.sqlState == "P0001")
            #expect(
                try await AuditVerifier.verify(database.pool)
                    == .intact(rows: 3, head: try await Self.head(database.pool)))
        }
    }

    static func head(_ pool: PostgresPool) async throws -> AuditHead {
        let row = try #require(try await pool.query("SELECT seq, hash FROM audit.log ORDER BY seq DESC LIMIT 1").first)
        let (seq, hash) = try row.decode((Int64, [UInt8]).self)
        return AuditHead(seq: seq, hash: hash)
    }

    @Test("services append only through audit.append; the audit role reads but cannot append")
    func privileges() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let record = try await database.pool.withTransaction { connection in
                try await connection.simpleExecute("SET LOCAL ROLE notify")
                return try await AuditLog.append(
                    using: connection, actor: "service:notify", action: "alert.raise", subject: "alert:1")
            }
            #expect(record.seq == 1)
            let denied: [(String, String)] = [
                ("notify", "INSERT INTO audit.log SELECT * FROM audit.log"),
                ("notify", "SELECT count(*) FROM audit.log"),
                ("audit", "SELECT audit.append('a', 'b', 'c')"),
                ("audit", "INSERT INTO audit.log SELECT * FROM audit.log"),
            ]
            for (role, statement) in denied {
                let error = await #expect(throws: PostgresError.self) {
                    try await database.pool.withTransaction { connection in
                        try await connection.simpleExecute("SET LOCAL ROLE \(role); \(statement)")
                    }
                }
                #expect(error?.sqlState == "42501", "\(role): \(statement)")
            }
            let count = try await database.pool.withTransaction { connection in
                try await connection.simpleExecute("SET LOCAL ROLE audit")
                return try await connection.query("SELECT count(*) FROM audit.log").first?.decode(Int.self)
            }
            #expect(count == 1)
        }
    }

    @Test("SQL and Swift produce the same canonical bytes for awkward values")
    func canonicalAgreement() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let prev = (0..<32).map { UInt8($0 * 7 % 256) }
            let cases: [AuditRecord] = [
                AuditRecord(
                    seq: 1, atMicroseconds: -86_400_000_001, actor: "ë👩🏽‍⚕️", action: "a", subject: "", reason: nil,
                    details: nil, prevHash: prev, hash: []),
                AuditRecord(
                    seq: Int64.max, atMicroseconds: 1_714_571_110_123_456, actor: "x", action: "y\nz", subject: "'\\",
                    reason: "", details: #"{"k":"ü"}"#, prevHash: AuditCanonical.genesisHash, hash: []),
            ]
            for record in cases {
                let rows = try await database.pool.query(
                    """
                    SELECT audit.canonical(\(record.seq), \(record.atMicroseconds), \(record.actor), \(record.action), \
                    \(record.subject), \(record.reason), \(record.details), \(record.prevHash))
                    """)
                #expect(try rows.first?.decode([UInt8].self) == AuditCanonical.bytes(of: record))
            }
        }
    }

    @Test("an append rolled back with its transaction leaves no gap")
    func rolledBackAppend() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            try await Self.fill(database.pool, 2)
            await #expect(throws: Boom.self) {
                try await database.pool.withTransaction { connection in
                    try await AuditLog.append(using: connection, actor: "a", action: "b", subject: "c")
                    throw Boom()
                }
            }
            let next = try await AuditLog(pool: database.pool).append(actor: "a", action: "b", subject: "d")
            #expect(next.seq == 3)
            #expect(
                try await AuditVerifier.verify(database.pool)
                    == .intact(rows: 3, head: AuditHead(seq: 3, hash: next.hash)))
        }
    }
}
