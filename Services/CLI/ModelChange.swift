import ArgumentParser
import Foundation
import Inference
import VigilAudit
import VigilModelCore

/// Who changes a model's status and why: the options and the one path (registry, role check, audit) that
/// `set-status`, `promote` and `stop` share.
struct ModelChange: ParsableArguments {
    @Option(help: "Who is making the change; must be listed in VIGIL_MODEL_ADMINS.") var user: String
    @Option(help: "Why (at least 5 characters; recorded in the audit log).") var reason: String

    func validate() throws {
        // The registry's own rule, checked before anything is touched.
        guard reason.trimmingCharacters(in: .whitespaces).count >= 5 else {
            throw ValidationError("--reason must say why, in at least 5 characters; it goes into the audit log")
        }
    }

    /// The model-admin role comes from `VIGIL_MODEL_ADMINS`, a comma list of user names.
    var roles: Set<String> {
        let admins = (ProcessInfo.processInfo.environment["VIGIL_MODEL_ADMINS"] ?? "").split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return admins.contains(user) ? ["model-admin"] : []
    }

    func requireAdmin() throws {
        guard roles.contains("model-admin") else {
            throw CLIFailure(
                "\(user) does not hold the model-admin role: add the name to VIGIL_MODEL_ADMINS (a comma list) to change model statuses"
            )
        }
    }

    /// Sets `status` on each version through the registry (which checks the role and reason again and audits
    /// each change); returns each version's status before.
    func apply(
        _ status: ModelStatus, to id: String, versions: [String], connection: ConnectionOptions
    ) async throws -> [ModelStatus] {
        try requireAdmin()
        let roles = self.roles
        return try await connection.withPool(size: 1) { pool in
            let registry = ModelRegistry(pool: pool, audit: AuditLog(pool: pool))
            var before: [ModelStatus] = []
            for version in versions {
                let rows = try await pool.query(
                    "SELECT sha256, status FROM infer.models WHERE id = \(id) AND version = \(version)")
                guard let row = try rows.first?.decode((String, String).self), let digest = HexDigest(row.0) else {
                    throw CLIFailure("no model \(id)@\(version); `vigil model list` shows the registered versions")
                }
                try await registry.setStatus(
                    ModelReference(id: id, version: version, sha256: digest), to: status, actor: "user:\(user)",
                    roles: roles, reason: reason)
                before.append(ModelStatus(rawValue: row.1) ?? .stopped)
            }
            return before
        }
    }
}
