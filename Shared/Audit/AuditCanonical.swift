import Crypto

/// The canonical bytes of an audit entry, version 1, and their hash.
///
/// The same encoding as `audit.canonical()` in migrations/audit/0001_log.sql, implemented independently here
/// so the verifier does not rely on the database's own arithmetic. Change both or neither.
///
///     field(b)   = 4-byte big-endian length of b, then b; nil (SQL NULL) is length 0xFFFFFFFF with no bytes
///     canonical  = field("vigil.audit.v1")
///                  ‖ 8-byte big-endian seq
///                  ‖ 8-byte big-endian time in integer microseconds since 1970-01-01 00:00:00 UTC
///                  ‖ field(actor) ‖ field(action) ‖ field(subject) ‖ field(reason) ‖ field(details)
///                  ‖ field(prevHash)                       (the predecessor's 32 raw hash bytes)
///     text is UTF-8; hash = SHA-256(canonical); the first entry's prevHash is 32 zero bytes.
///
/// Length prefixes make field boundaries unambiguous ("ab","c" and "a","bc" encode differently), and the
/// NULL marker keeps a missing reason distinct from an empty one.
public enum AuditCanonical {
    public static let domainTag = "vigil.audit.v1"
    /// The `prevHash` of entry 1.
    public static let genesisHash = [UInt8](repeating: 0, count: 32)

    public static func bytes(of record: AuditRecord) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(
            96 + record.actor.utf8.count + record.subject.utf8.count + (record.details?.utf8.count ?? 0))
        appendField(Array(domainTag.utf8), to: &output)
        appendBigEndian(UInt64(bitPattern: record.seq), to: &output)
        appendBigEndian(UInt64(bitPattern: record.atMicroseconds), to: &output)
        appendField(Array(record.actor.utf8), to: &output)
        appendField(Array(record.action.utf8), to: &output)
        appendField(Array(record.subject.utf8), to: &output)
        appendField(record.reason.map { Array($0.utf8) }, to: &output)
        appendField(record.details.map { Array($0.utf8) }, to: &output)
        appendField(record.prevHash, to: &output)
        return output
    }

    public static func hash(of record: AuditRecord) -> [UInt8] {
        sha256(bytes(of: record))
    }

    static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: bytes))
    }

    private static func appendField(_ value: [UInt8]?, to output: inout [UInt8]) {
        guard let value else {
            appendBigEndian(UInt32.max, to: &output)
            return
        }
        precondition(value.count < Int(UInt32.max), "audit field too long")
        appendBigEndian(UInt32(value.count), to: &output)
        output.append(contentsOf: value)
    }

    private static func appendBigEndian<Integer: FixedWidthInteger>(_ value: Integer, to output: inout [UInt8]) {
        withUnsafeBytes(of: value.bigEndian) { output.append(contentsOf: $0) }
    }
}
