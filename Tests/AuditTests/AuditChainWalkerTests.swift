import Testing
import VigilAudit

@Suite("Audit chain walker")
struct AuditChainWalkerTests {
    /// A consistent chain of `count` entries, hashed with the canonical encoding.
    static func chain(_ count: Int) -> [AuditRecord] {
        var records: [AuditRecord] = []
        var previous = AuditCanonical.genesisHash
        for seq in 1...Int64(count) {
            var record = AuditRecord(
                seq: seq, atMicroseconds: 1_700_000_000_000_000 + seq, actor: "service:notify",
                action: "alert.raise", subject: "alert:\(seq)", reason: seq % 3 == 0 ? nil : "threshold",
                details: nil, prevHash: previous, hash: [])
            record.hash = AuditCanonical.hash(of: record)
            previous = record.hash
            records.append(record)
        }
        return records
    }

    static func walk(_ records: [AuditRecord]) -> BrokenLink? {
        var walker = AuditChainWalker()
        for record in records {
            if let broken = walker.consume(record) { return broken }
        }
        return nil
    }

    @Test("an untouched chain is intact and ends at its last entry")
    func intact() {
        let records = Self.chain(20)
        var walker = AuditChainWalker()
        for record in records { #expect(walker.consume(record) == nil) }
        #expect(walker.rows == 20)
        #expect(walker.head == AuditHead(seq: 20, hash: records[19].hash))
    }

    @Test("an edited entry is reported at its own seq")
    func edited() {
        var records = Self.chain(20)
        records[6].subject = "alert:other"
        #expect(Self.walk(records) == BrokenLink(seq: 7, reason: .hashMismatch))
    }

    @Test("an edited entry whose hash was recomputed breaks the next link")
    func editedAndRehashed() {
        var records = Self.chain(20)
        records[6].subject = "alert:other"
        records[6].hash = AuditCanonical.hash(of: records[6])
        #expect(Self.walk(records) == BrokenLink(seq: 8, reason: .prevHashMismatch))
    }

    @Test("a deleted entry is reported as the missing seq")
    func deleted() {
        var records = Self.chain(20)
        records.remove(at: 9)
        #expect(Self.walk(records) == BrokenLink(seq: 10, reason: .sequenceGap))
    }

    @Test("swapping two entries' positions is reported at the first of them")
    func reordered() {
        var records = Self.chain(20)
        records[11].seq = 13
        records[12].seq = 12
        records.swapAt(11, 12)
        #expect(Self.walk(records) == BrokenLink(seq: 12, reason: .hashMismatch))
    }

    @Test("the first entry must start from the genesis hash")
    func genesis() {
        var records = Self.chain(3)
        records[0].prevHash[0] = 1
        records[0].hash = AuditCanonical.hash(of: records[0])
        #expect(Self.walk(records) == BrokenLink(seq: 1, reason: .prevHashMismatch))
    }

    @Test("a hash of the wrong length is malformed")
    func malformed() {
        var records = Self.chain(3)
        records[1].hash = [1, 2, 3]
        #expect(Self.walk(records) == BrokenLink(seq: 2, reason: .malformedRow))
    }
}
