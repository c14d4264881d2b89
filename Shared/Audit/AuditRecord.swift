import Foundation
import VigilPostgres

/// One entry of the audit log, as stored in `audit.log`.
///
/// **No PHI, by contract.** `actor`, `subject`, `reason` and `details` carry role-qualified ids
/// ("clinician:4711", "service:notify"), pseudonyms, event/alert/model ids and codes — never names, MRNs,
/// dates of birth or text copied from a patient record. The log is kept for years, is read by auditors, and
/// by design cannot be corrected, so whatever goes in stays.
public struct AuditRecord: Sendable, Hashable {
    /// Position in the chain: 1, 2, 3, … without gaps.
    public var seq: Int64
    /// When the entry was made, in whole microseconds since 1970-01-01 UTC: the value that is hashed.
    public var atMicroseconds: Int64
    /// Who acted, e.g. "clinician:4711" or "service:notify".
    public var actor: String
    /// What was done, e.g. "alert.acknowledge", "model.promote", "reid.reveal".
    public var action: String
    /// What it was done to, e.g. "alert:<uuid>" or "model:<id>".
    public var subject: String
    /// The human reason given (overrides, re-identification), if any.
    public var reason: String?
    /// Further fields as JSON text, exactly as stored and hashed.
    public var details: String?
    /// The predecessor's `hash` (32 zero bytes for the first entry).
    public var prevHash: [UInt8]
    /// SHA-256 of the canonical bytes (see `AuditCanonical`).
    public var hash: [UInt8]

    public init(
        seq: Int64, atMicroseconds: Int64, actor: String, action: String, subject: String, reason: String?,
        details: String?, prevHash: [UInt8], hash: [UInt8]
    ) {
        self.seq = seq
        self.atMicroseconds = atMicroseconds
        self.actor = actor
        self.action = action
        self.subject = subject
        self.reason = reason
        self.details = details
        self.prevHash = prevHash
        self.hash = hash
    }

    public var at: Date { Date(timeIntervalSince1970: Double(atMicroseconds) / 1_000_000) }

    /// The hash recomputed from the fields: equal to `hash` unless the row was altered.
    public var computedHash: [UInt8] { AuditCanonical.hash(of: self) }

    /// Columns in the order `init(row:)` reads them; the time comes out as integer microseconds.
    static let selectList = """
        seq, (extract(epoch FROM at) * 1000000)::int8, actor, action, subject, reason, details, prev_hash, hash
        """

    init(row: PostgresRow) throws {
        let (seq, at, actor, action, subject, reason, details, prevHash, hash) = try row.decode(
            (Int64, Int64, String, String, String, String?, String?, [UInt8], [UInt8]).self)
        self.init(
            seq: seq, atMicroseconds: at, actor: actor, action: action, subject: subject, reason: reason,
            details: details, prevHash: prevHash, hash: hash)
    }
}
