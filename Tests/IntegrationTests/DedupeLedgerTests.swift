import Foundation
import Ingestion
import Testing
import VigilPostgres

@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct DedupeLedgerTests {
    func fingerprint(_ id: String, _ content: UInt8) -> MessageFingerprint {
        MessageFingerprint(sourceSystem: "LAB^HOSP", controlID: id, contentSHA256: [UInt8](repeating: content, count: 32))
    }

    @Test func newThenDuplicateThenConflict() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let ledger = DedupeLedger(pool: database.pool)
            let first = [fingerprint("MSG1", 1), fingerprint("MSG2", 2)]
            #expect(try await ledger.check(first) == [.new, .new])
            // Not recorded yet (the publish could still fail): a resend is still new.
            #expect(try await ledger.check(first) == [.new, .new])
            try await ledger.record(first, eventCounts: [3, 1])
            #expect(try await ledger.check([fingerprint("MSG1", 1), fingerprint("MSG2", 9)]) == [.duplicate, .conflict])

            try await ledger.record([fingerprint("MSG2", 9)], eventCounts: [1])
            let conflicts = try await database.pool.query(
                "SELECT control_id, first_sha256, conflict_sha256 FROM ingest.conflicts")
            #expect(conflicts.count == 1)
            let (id, original, conflicting) = try conflicts[0].decode((String, [UInt8], [UInt8]).self)
            #expect(id == "MSG2")
            #expect(original == [UInt8](repeating: 2, count: 32))
            #expect(conflicting == [UInt8](repeating: 9, count: 32))
            let seen = try await database.pool.query(
                "SELECT times_seen FROM ingest.messages WHERE control_id = \("MSG2")")
            #expect(try seen[0].decode(Int.self, at: 0) == 2)
            // The conflicting version resent is a duplicate of itself; a third version is another conflict.
            #expect(
                try await ledger.check([fingerprint("MSG2", 9), fingerprint("MSG2", 2), fingerprint("MSG2", 7)])
                    == [.duplicate, .duplicate, .conflict])
        }
    }

    @Test func theTraceIDAndReceiveTimeOfTheFirstOccurrenceAreKept() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let ledger = DedupeLedger(pool: database.pool)
            let received = Date(timeIntervalSince1970: 1_767_225_600.125)
            let trace = String(repeating: "ab", count: 16)
            try await ledger.record([fingerprint("T1", 1)], eventCounts: [1], traces: [(trace, received)])
            try await ledger.record([fingerprint("T1", 1)], eventCounts: [1], traces: [("other", Date())])
            let rows = try await database.pool.query(
                "SELECT trace_id, received_at, times_seen FROM ingest.messages WHERE control_id = 'T1'")
            let (id, at, seen) = try rows[0].decode((String, Date, Int).self)
            #expect(id == trace && abs(at.timeIntervalSince(received)) < 0.001 && seen == 2)
        }
    }

    @Test func repeatsWithinOneBatchAreJudgedAgainstTheFirst() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let ledger = DedupeLedger(pool: database.pool)
            let verdicts = try await ledger.check([fingerprint("A", 1), fingerprint("A", 1), fingerprint("A", 2)])
            #expect(verdicts == [.new, .duplicate, .conflict])
        }
    }

    @Test func controlIDsWithQuotesAndBackslashesMatch() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let ledger = DedupeLedger(pool: database.pool)
            let odd = [fingerprint("a\"b", 1), fingerprint("c\\d,{e}", 2), fingerprint("NULL", 3)]
            try await ledger.record(odd, eventCounts: [1, 1, 1])
            #expect(try await ledger.check(odd) == [.duplicate, .duplicate, .duplicate])
        }
    }

    @Test func purgeForgetsOldMessages() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let ledger = DedupeLedger(pool: database.pool)
            try await ledger.record([fingerprint("OLD", 1), fingerprint("NEW", 2)], eventCounts: [1, 1])
            try await database.pool.execute(
                "UPDATE ingest.messages SET last_seen_at = now() - interval '40 days' WHERE control_id = \("OLD")")
            #expect(try await ledger.purge(olderThan: .seconds(30 * 86400)) == 1)
            #expect(try await ledger.check([fingerprint("OLD", 1), fingerprint("NEW", 2)]) == [.new, .duplicate])
        }
    }
}
