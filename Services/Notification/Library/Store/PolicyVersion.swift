import Foundation
import VigilPostgres

/// One row of `notify.policy_versions`: a proposed alert policy and what became of it (issue 8's two-person,
/// effective-dated, reversible threshold changes).
public struct PolicyVersion: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case proposed, approved, rejected
        case rolledBack = "rolled-back"
    }

    public var version: Int
    /// `metadata.name` and `metadata.version` of the YAML.
    public var name: String
    public var label: String
    /// `AlertPolicy.hash` of the YAML, as stamped on decisions and alerts once it is in force.
    public var hash: String
    public var status: Status
    public var proposedBy: String
    public var proposedAt: Date
    public var reason: String
    public var shadowReportSHA256: String
    public var approvedBy: String?
    public var approvedAt: Date?
    public var effectiveAt: Date?
    public var rejectedBy: String?
    public var rejectedAt: Date?
    public var rejectionReason: String?
    public var rolledBackBy: String?
    public var rolledBackAt: Date?
    public var rollbackReason: String?
    /// The YAML and the report's JSON text; only read when asked for (`PolicyVersionStore.version(_:)`, `current`).
    public var yaml: String?
    public var shadowReport: String?

    /// The columns `init(row:)` reads, without the two large texts.
    static let columns = """
        version, name, label, hash, status, proposed_by, proposed_at, reason, shadow_report_sha256, approved_by,
        approved_at, effective_at, rejected_by, rejected_at, rejection_reason, rolled_back_by, rolled_back_at,
        rollback_reason
        """

    init(row: PostgresRow) throws {
        func column<Value: PostgresDecodable>(_ name: String) throws -> Value {
            try row.decode(Value.self, column: name)
        }
        version = try column("version")
        name = try column("name")
        label = try column("label")
        hash = try column("hash")
        let status: String = try column("status")
        guard let known = Status(rawValue: status) else {
            throw PostgresError(code: .decoding, message: "unknown policy version status", column: "status")
        }
        self.status = known
        proposedBy = try column("proposed_by")
        proposedAt = try column("proposed_at")
        reason = try column("reason")
        shadowReportSHA256 = try column("shadow_report_sha256")
        approvedBy = try column("approved_by")
        approvedAt = try column("approved_at")
        effectiveAt = try column("effective_at")
        rejectedBy = try column("rejected_by")
        rejectedAt = try column("rejected_at")
        rejectionReason = try column("rejection_reason")
        rolledBackBy = try column("rolled_back_by")
        rolledBackAt = try column("rolled_back_at")
        rollbackReason = try column("rollback_reason")
        yaml = try row[column: "yaml"].map { try $0.decode(String.self) }
        shadowReport = try row[column: "shadow_report"].map { try $0.decode(String.self) }
    }
}
