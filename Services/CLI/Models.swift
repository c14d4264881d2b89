import ArgumentParser
import Foundation
import VigilModelCore

/// `vigil model …`: the registry for people. Changing a status needs the model-admin role (granted in
/// `VIGIL_MODEL_ADMINS`, a comma list of user names) and a reason; both are audited.
struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "model", abstract: "List models and change their status (shadow, active, retired, stopped).",
        discussion: """
            Changing a status needs --user, a name listed in VIGIL_MODEL_ADMINS (the model-admin role), and \
            --reason; both go into the audit log. A change takes effect in vigil-infer within a second.
            """,
        subcommands: [List.self, SetStatus.self, Promote.self, Stop.self])

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
        @OptionGroup var change: ModelChange

        func validate() throws {
            guard ModelStatus(rawValue: status) != nil else {
                throw ValidationError("status must be shadow, active, retired or stopped, not '\(status)'")
            }
        }

        func run() async throws {
            let target = ModelStatus(rawValue: status)!
            let from = try await change.apply(target, to: id, versions: [version], connection: connection)
            print("\(id)@\(version): \(from[0].rawValue) → \(target.rawValue) (takes effect within a second)")
        }
    }

    struct Promote: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a model version active, so its scores raise alerts (set-status … active; audited).")
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Model id, e.g. sepsis-lgbm.") var id: String
        @Argument(help: "Model version, e.g. 1.0.0 (`vigil model list` shows them).") var version: String
        @OptionGroup var change: ModelChange

        func run() async throws {
            let from = try await change.apply(.active, to: id, versions: [version], connection: connection)
            print("\(id)@\(version): \(from[0].rawValue) → active (takes effect within a second)")
        }
    }

    struct Stop: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stop every active or shadow version of a model at once (audited per version).",
            discussion: """
                The stop switch for operators: each running version gets status stopped and produces nothing \
                within a second. Bring a version back with `vigil model promote` or `set-status … shadow`.
                """)
        @OptionGroup var connection: ConnectionOptions
        @Argument(help: "Model id, e.g. sepsis-lgbm.") var id: String
        @OptionGroup var change: ModelChange

        func run() async throws {
            let running = try await connection.withPool(size: 1) { pool in
                let rows = try await pool.query(
                    """
                    SELECT version FROM infer.models WHERE id = \(id) AND status IN ('active', 'shadow') ORDER BY version
                    """)
                return try rows.map { try $0.decode(String.self, at: 0) }
            }
            guard !running.isEmpty else {
                throw CLIFailure("no active or shadow version of \(id) to stop; `vigil model list` shows the statuses")
            }
            let from = try await change.apply(.stopped, to: id, versions: running, connection: connection)
            for (version, status) in zip(running, from) { print("\(id)@\(version): \(status.rawValue) → stopped") }
            print(
                "\(id) stopped (\(running.count) version\(running.count == 1 ? "" : "s")); takes effect within a second"
            )
        }
    }
}
