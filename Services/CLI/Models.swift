import ArgumentParser
import Foundation
import Inference
import VigilAudit
import VigilModelCore

/// `vigil model list | set-status`: the registry for people. Changing a status needs the model-admin role
/// (granted in `VIGIL_MODEL_ADMINS`, a comma list of user names) and a reason; both are audited.
struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "List models and change their status (shadow, active, retired, stopped).",
        subcommands: [List.self, SetStatus.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every registered model version and its status.")
        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let rows = try await connection.withPool(size: 1) { pool in
                try await pool.query("SELECT id, version, status, kind, sha256 FROM infer.models ORDER BY id, version")
            }
            for row in rows {
                let (id, version, status, kind, sha) = try row.decode((String, String, String, String, String).self)
                print("\(id)\t\(version)\t\(status)\t\(kind)\tsha256:\(sha.prefix(16))…")
            }
        }
    }

    struct SetStatus: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-status", abstract: "Promote, shadow, retire or stop a model version (audited).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Model id, e.g. news2.") var id: String
        @Argument(help: "Model version.") var version: String
        @Argument(help: "shadow | active | retired | stopped") var status: String
        @Option(help: "Who is making the change.") var user: String
        @Option(help: "Why (recorded in the audit log).") var reason: String

        func run() async throws {
            guard let target = ModelStatus(rawValue: status) else { throw ValidationError("status must be shadow, active, retired or stopped") }
            let admins = Set((ProcessInfo.processInfo.environment["VIGIL_MODEL_ADMINS"] ?? "").split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces)
            })
            try await connection.withPool(size: 1) { pool in
                let rows = try await pool.query(
                    "SELECT sha256 FROM infer.models WHERE id = \(id) AND version = \(version)")
                guard let sha = try rows.first?.decode(String.self, at: 0), let digest = HexDigest(sha) else {
                    throw ValidationError("no model \(id)@\(version)")
                }
                let registry = ModelRegistry(pool: pool, audit: AuditLog(pool: pool))
                try await registry.setStatus(
                    ModelReference(id: id, version: version, sha256: digest), to: target, actor: "user:\(user)",
                    roles: admins.contains(user) ? ["model-admin"] : [], reason: reason)
            }
            print("\(id)@\(version) is now \(target.rawValue) (takes effect within a second)")
        }
    }
}
