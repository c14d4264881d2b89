import Foundation
import VigilAudit
import VigilModelCore
import VigilPostgres

extension PolicyVersionStore {
    /// Who takes a step: the audit actor (`user:<id>`) and the role that allows it.
    public struct Actor: Sendable, Hashable {
        public var id: String
        public var role: String

        public init(id: String, role: String) {
            self.id = id
            self.role = role
        }
    }

    /// How far in the past an effective-from time may be (client clocks); it is then taken as the approval time.
    static let clockSkew: TimeInterval = 60

    /// Records a proposal as the next version, with `policy.propose` audited. The YAML must load
    /// (`AlertPolicyError` otherwise, with the loader's message) and the shadow report be a non-empty JSON object.
    public func propose(
        yaml: String, reason: String, shadowReport: String, by actor: Actor, now: Date = Date()
    ) async throws -> PolicyVersion {
        let policy = try AlertPolicyLoader.parse(yaml, source: "proposal")
        let report = try? JSONSerialization.jsonObject(with: Data(shadowReport.utf8))
        guard let object = report as? [String: Any], !object.isEmpty else {
            throw PolicyChangeError(.invalid, "shadowReport must be the non-empty JSON object `vigil shadow` writes")
        }
        let reportSHA256 = HexDigest.sha256(of: Array(shadowReport.utf8)).hex
        return try await pool.withTransaction { connection in
            try await Self.lock(connection)
            let next = try await connection.query("SELECT coalesce(max(version), 0) + 1 FROM notify.policy_versions")
            let number = try next.first?.decode(Int.self) ?? 1
            _ = try await connection.execute(
                """
                INSERT INTO notify.policy_versions (version, name, label, yaml, hash, proposed_by, proposed_at, reason,
                  shadow_report, shadow_report_sha256)
                VALUES (\(number), \(policy.name), \(policy.version), \(yaml), \(policy.hash), \(actor.id), \(now),
                  \(reason), \(shadowReport), \(reportSHA256))
                """)
            try await AuditLog.append(
                using: connection, actor: actor.id, action: "policy.propose", subject: Self.subject(number),
                reason: reason,
                details: [
                    "role": actor.role, "hash": policy.hash, "policy": "\(policy.name)@\(policy.version)",
                    "shadowReportSHA256": reportSHA256,
                ])
            return try await Self.reread(number, connection)
        }
    }

    /// The second person's approval: the version takes effect at `effectiveFrom` (default now, never before the
    /// approval). The proposer cannot approve (`.samePerson`; the database refuses it too).
    public func approve(
        _ number: Int, effectiveFrom: Date?, note: String?, by actor: Actor, now: Date = Date()
    ) async throws -> PolicyVersion {
        if let effectiveFrom, effectiveFrom < now.addingTimeInterval(-Self.clockSkew) {
            throw PolicyChangeError(.invalid, "effectiveFrom must not be in the past")
        }
        let effective = max(effectiveFrom ?? now, now)
        return try await change(number) { connection, version in
            guard version.status == .proposed else {
                throw PolicyChangeError(
                    .conflict,
                    "version \(number) is \(version.status.rawValue); only a proposed version can be approved")
            }
            guard version.proposedBy != actor.id else { throw Self.samePerson }
            _ = try await connection.execute(
                """
                UPDATE notify.policy_versions
                SET status = 'approved', approved_by = \(actor.id), approved_at = \(now), effective_at = \(effective)
                WHERE version = \(number)
                """)
            try await AuditLog.append(
                using: connection, actor: actor.id, action: "policy.approve", subject: Self.subject(number),
                reason: note,
                details: [
                    "role": actor.role, "hash": version.hash, "proposedBy": version.proposedBy,
                    "effectiveFrom": Timestamp.format(effective) ?? "",
                ])
        }
    }

    /// Closes a proposal without it ever taking effect (the proposer may withdraw their own).
    public func reject(_ number: Int, reason: String, by actor: Actor, now: Date = Date()) async throws -> PolicyVersion
    {
        try await change(number) { connection, version in
            guard version.status == .proposed else {
                throw PolicyChangeError(
                    .conflict,
                    "version \(number) is \(version.status.rawValue); only a proposed version can be rejected")
            }
            _ = try await connection.execute(
                """
                UPDATE notify.policy_versions
                SET status = 'rejected', rejected_by = \(actor.id), rejected_at = \(now), rejection_reason = \(reason)
                WHERE version = \(number)
                """)
            try await AuditLog.append(
                using: connection, actor: actor.id, action: "policy.reject", subject: Self.subject(number),
                reason: reason, details: ["role": actor.role, "hash": version.hash])
        }
    }

    /// Takes an approved version out of force: the current one, so the previous effective version (or the file
    /// policy) is current again, or one still waiting for its effective time. An older, superseded version is a
    /// conflict: rolling it back would change nothing now and surprise later.
    public func rollback(_ number: Int, reason: String, by actor: Actor, now: Date = Date()) async throws
        -> PolicyVersion
    {
        try await change(number) { connection, version in
            guard version.status == .approved else {
                throw PolicyChangeError(
                    .conflict,
                    "version \(number) is \(version.status.rawValue); only an approved version can be rolled back")
            }
            let current = try await Self.current(at: now, on: connection)
            let scheduled = (version.effectiveAt ?? now) > now
            guard current?.version == number || scheduled else {
                let inForce = current.map { "version \($0.version) is" } ?? "the configured policy is"
                throw PolicyChangeError(
                    .conflict, "version \(number) is no longer in force (\(inForce)); roll back the current version")
            }
            _ = try await connection.execute(
                """
                UPDATE notify.policy_versions
                SET status = 'rolled-back', rolled_back_by = \(actor.id), rolled_back_at = \(now),
                  rollback_reason = \(reason)
                WHERE version = \(number)
                """)
            let restored = try await Self.current(at: now, on: connection)
            try await AuditLog.append(
                using: connection, actor: actor.id, action: "policy.rollback", subject: Self.subject(number),
                reason: reason,
                details: [
                    "role": actor.role, "hash": version.hash, "scheduled": String(scheduled),
                    "current": restored.map { String($0.version) } ?? "configured",
                ])
        }
    }

    static let samePerson = PolicyChangeError(
        .samePerson, "the approver must be a different person than the proposer (two-person rule)")

    static func subject(_ number: Int) -> String { "policy-version:\(number)" }

    /// Changes run one at a time: version numbers stay dense and "the current version" cannot move under a step.
    /// Readers (the watcher, the API's lists) are not blocked.
    static func lock(_ connection: PostgresConnection) async throws {
        _ = try await connection.execute("LOCK TABLE notify.policy_versions IN EXCLUSIVE MODE")
    }

    /// Runs one step on an existing version in a transaction; returns the version as it is afterwards.
    private func change(
        _ number: Int, _ step: (PostgresConnection, PolicyVersion) async throws -> Void
    ) async throws -> PolicyVersion {
        do {
            return try await pool.withTransaction { connection in
                try await Self.lock(connection)
                guard let version = try await Self.version(number, on: connection, lock: true) else {
                    throw PolicyChangeError(.notFound, "no policy version \(number)")
                }
                try await step(connection, version)
                return try await Self.reread(number, connection)
            }
        } catch let error as PostgresError where error.sqlState == "23514" && error.message.contains("two_person") {
            throw Self.samePerson
        }
    }

    private static func reread(_ number: Int, _ connection: PostgresConnection) async throws -> PolicyVersion {
        guard let version = try await version(number, on: connection, lock: false) else {
            throw PostgresError(code: .queryFailed, message: "policy version \(number) vanished in its transaction")
        }
        return version
    }
}
