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
        subcommands: [List.self, SetStatus.self, Promote.self, Stop.self, Restart.self])

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
            abstract: "The stop switch: stop every running version of a model and retract its live alerts (audited).",
            discussion: """
                The same switch as the oversight page's Stop: notify's gate for the model (its open, acknowledged \
                and snoozed alerts are retracted as model-stopped) and every active or shadow version stopped in \
                vigil-infer's registry, which then produces nothing. `vigil model restart` gives each version \
                back the status it had.
                """)
        @OptionGroup var options: StopSwitchOptions

        func run() async throws {
            let (versions, retracted) = try await options.set(stopped: true)
            for version in versions { print("\(options.id)@\(version) → stopped") }
            print(
                "\(options.id) stopped: it produces nothing from now on; \(retracted) live alert\(retracted == 1 ? "" : "s") retracted"
            )
        }
    }

    struct Restart: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Undo the stop switch: each version the switch stopped gets back the status it had (audited).")
        @OptionGroup var options: StopSwitchOptions

        func run() async throws {
            let versions = try await options.set(stopped: false).versions
            print("\(options.id) restarted: \(versions.joined(separator: ", ")) back to the status each had")
        }
    }
}
