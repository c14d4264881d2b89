import Testing

@testable import VigilAudit

@Suite("Audit canonical encoding")
struct AuditCanonicalTests {
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    static let sample = AuditRecord(
        seq: 42, atMicroseconds: 1_714_571_110_123_456, actor: "clinician:4711", action: "alert.override",
        subject: "alert:0f8e", reason: "patient already on ward round", details: #"{"model":"sepsis-v3"}"#,
        prevHash: [UInt8](repeating: 0xab, count: 32), hash: [])

    // FIPS 180-2 / NIST CSRC example vectors: checks the hashing step on its own.
    @Test(
        "SHA-256 matches the published test vectors",
        arguments: [
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func sha256Vectors(input: String, digest: String) {
        #expect(Self.hex(AuditCanonical.sha256(Array(input.utf8))) == digest)
    }

    @Test("canonical bytes follow the documented layout")
    func documentedLayout() {
        let record = AuditRecord(
            seq: 1, atMicroseconds: 0, actor: "a", action: "b", subject: "", reason: nil, details: nil,
            prevHash: [0x01, 0x02], hash: [])
        // Written from the specification in AuditCanonical / migrations/audit/0001_log.sql, piece by piece.
        let expected =
            "0000000e" + "766967696c2e61756469742e7631"  // field("vigil.audit.v1"): 14 bytes
            + "0000000000000001"  // seq
            + "0000000000000000"  // microseconds
            + "00000001" + "61"  // actor "a"
            + "00000001" + "62"  // action "b"
            + "00000000"  // subject ""
            + "ffffffff"  // reason NULL
            + "ffffffff"  // details NULL
            + "00000002" + "0102"  // prev_hash
        #expect(Self.hex(AuditCanonical.bytes(of: record)) == expected)
    }

    @Test("integers are big-endian two's complement, UTF-8 text is length-prefixed in bytes")
    func integersAndUnicode() {
        let record = AuditRecord(
            seq: 0x0102_0304_0506_0708, atMicroseconds: -1, actor: "é", action: "x", subject: "", reason: "",
            details: nil, prevHash: [], hash: [])
        let bytes = Self.hex(AuditCanonical.bytes(of: record))
        #expect(bytes.contains("0102030405060708" + "ffffffffffffffff" + "00000002c3a9"))
        // An empty reason is "length 0", not the NULL marker.
        #expect(bytes.hasSuffix("00000000" + "ffffffff" + "00000000"))
    }

    @Test("moving a character across a field boundary changes the hash")
    func fieldBoundaries() {
        var left = Self.sample
        left.actor = "ab"
        left.action = "c"
        var right = Self.sample
        right.actor = "a"
        right.action = "bc"
        #expect(AuditCanonical.bytes(of: left) != AuditCanonical.bytes(of: right))
        #expect(AuditCanonical.hash(of: left) != AuditCanonical.hash(of: right))

        var nullReason = Self.sample
        nullReason.reason = nil
        var emptyReason = Self.sample
        emptyReason.reason = ""
        #expect(AuditCanonical.hash(of: nullReason) != AuditCanonical.hash(of: emptyReason))
    }

    @Test("a change in any hashed field changes the hash")
    func everyFieldCounts() {
        let original = AuditCanonical.hash(of: Self.sample)
        let edits: [(String, (inout AuditRecord) -> Void)] = [
            ("seq", { $0.seq += 1 }),
            ("time", { $0.atMicroseconds += 1 }),
            ("actor", { $0.actor += "x" }),
            ("action", { $0.action = "alert.acknowledge" }),
            ("subject", { $0.subject = "alert:0f8f" }),
            ("reason", { $0.reason = nil }),
            ("details", { $0.details = #"{"model":"sepsis-v4"}"# }),
            ("prevHash", { $0.prevHash[31] ^= 1 }),
        ]
        for (field, edit) in edits {
            var record = Self.sample
            edit(&record)
            #expect(AuditCanonical.hash(of: record) != original, "editing \(field) kept the hash")
        }
        var rehashed = Self.sample
        rehashed.hash = [1, 2, 3]
        #expect(AuditCanonical.hash(of: rehashed) == original, "the stored hash is not part of its own input")
    }

    @Test("details are JSON with sorted keys; empty details are NULL")
    func detailsEncoding() throws {
        #expect(try AuditLog.detailsJSON(["b": "1", "a": "x/y"]) == #"{"a":"x/y","b":"1"}"#)
        #expect(try AuditLog.detailsJSON([:]) == nil)
    }
}
