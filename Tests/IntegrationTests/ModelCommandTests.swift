import Foundation
import Inference
import Testing
import VigilAudit
import VigilModelCore

/// `vigil model promote` and `vigil model stop` as an operator runs them: they change the registry rows and
/// write one audit entry per version, and refuse, changing nothing, without the model-admin role or a reason.
@Suite(.enabled(if: VigilCLI.built && TestDatabase.isConfigured, "needs a build and PostgreSQL (make test)"))
struct ModelCommandTests {
    static let admins = ["VIGIL_MODEL_ADMINS": "alice, bob"]

    /// sepsis-lgbm 1.0.0 shadow, 0.9.0 active, 0.8.0 retired.
    static func registry(_ database: TestDatabase) async throws {
        let registry = ModelRegistry(pool: database.pool, audit: AuditLog(pool: database.pool))
        for (version, status) in [("1.0.0", ModelStatus.shadow), ("0.9.0", .active), ("0.8.0", .retired)] {
            let model = ModelReference(
                id: "sepsis-lgbm", version: version, sha256: HexDigest.sha256(framing: [version]))
            try await registry.register(model, kind: "tree-ensemble", status: status)
        }
    }

    static func statuses(_ database: TestDatabase) async throws -> [String: String] {
        let rows = try await database.pool.query("SELECT version, status FROM infer.models WHERE id = 'sepsis-lgbm'")
        return Dictionary(uniqueKeysWithValues: try rows.map { try $0.decode((String, String).self) })
    }

    static func audits(_ database: TestDatabase) async throws -> [(String, String, String, String)] {
        let rows = try await database.pool.query(
            "SELECT actor, subject, reason, details FROM audit.log WHERE action = 'model.status' ORDER BY seq")
        return try rows.map { try $0.decode((String, String, String, String).self) }
    }

    static func vigil(_ database: TestDatabase, _ arguments: [String]) async throws -> VigilCLI.Run {
        try await VigilCLI.run(
            arguments + ["--pg-url", ServiceProcess.url(role: "vigil", database: database.name)], environment: admins)
    }

    @Test func promoteMakesAVersionActiveAndIsAudited() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            try await Self.registry(database)
            let run = try await Self.vigil(
                database,
                ["model", "promote", "sepsis-lgbm", "1.0.0", "--user", "alice", "--reason", "validated on fold 0"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("sepsis-lgbm@1.0.0: shadow → active"))
            #expect(try await Self.statuses(database)["1.0.0"] == "active")
            let audits = try await Self.audits(database)
            #expect(audits.count == 1)
            #expect(audits.first?.0 == "user:alice" && audits.first?.1 == "model:sepsis-lgbm@1.0.0")
            #expect(audits.first?.2 == "validated on fold 0" && audits.first?.3.contains("active") == true)
        }
    }

    /// `model stop` throws the same switch as the oversight page: notify's gate, and every running version
    /// stopped in the registry at once; `model restart` gives each version back its status.
    @Test func stopThrowsTheOversightSwitchAndRestartUndoesIt() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            try await Self.registry(database)
            let run = try await Self.vigil(
                database, ["model", "stop", "sepsis-lgbm", "--user", "bob", "--reason", "alerts on the wrong patients"])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(try await Self.statuses(database) == ["1.0.0": "stopped", "0.9.0": "stopped", "0.8.0": "retired"])
            let gate = try await database.pool.query(
                "SELECT status, changed_by, reason FROM notify.model_gates WHERE model_id = 'sepsis-lgbm'")
            let row = try #require(try gate.first?.decode((String, String, String).self))
            #expect(row == ("stopped", "user:bob", "alerts on the wrong patients"))
            let stops = try await database.pool.query(
                "SELECT actor, subject FROM audit.log WHERE action = 'model.stop' ORDER BY subject")
            #expect(
                try stops.map { try $0.decode((String, String).self) }.map { "\($0.0) \($0.1)" } == [
                    "user:bob model:sepsis-lgbm", "user:bob model:sepsis-lgbm@0.9.0", "user:bob model:sepsis-lgbm@1.0.0",
                ])

            // Nothing left running: said so, exit 1, nothing written.
            let again = try await Self.vigil(
                database, ["model", "stop", "sepsis-lgbm", "--user", "bob", "--reason", "again please"])
            #expect(again.status == 1 && again.stderr.contains("no active or shadow version"), "\(again.stderr)")

            let restart = try await Self.vigil(
                database, ["model", "restart", "sepsis-lgbm", "--user", "alice", "--reason", "patient matching fixed"])
            #expect(restart.status == 0, "\(restart.stderr)")
            #expect(try await Self.statuses(database) == ["1.0.0": "shadow", "0.9.0": "active", "0.8.0": "retired"])
            let reopened = try await database.pool.query(
                "SELECT status FROM notify.model_gates WHERE model_id = 'sepsis-lgbm'")
            #expect(try reopened.first?.decode(String.self, at: 0) == "active")
        }
    }

    @Test func refusesWithoutTheAdminRoleOrAReasonAndChangesNothing() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            try await Self.registry(database)
            let before = try await Self.statuses(database)
            let outsider = try await Self.vigil(
                database, ["model", "stop", "sepsis-lgbm", "--user", "mallory", "--reason", "I want it off"])
            #expect(outsider.status == 1)
            #expect(
                outsider.stderr.contains("model-admin") && outsider.stderr.contains("VIGIL_MODEL_ADMINS"),
                "\(outsider.stderr)")
            let outsiderPromote = try await Self.vigil(
                database, ["model", "promote", "sepsis-lgbm", "1.0.0", "--user", "mallory", "--reason", "looks fine"])
            #expect(outsiderPromote.status == 1 && outsiderPromote.stderr.contains("model-admin"))
            let noReason = try await Self.vigil(
                database, ["model", "promote", "sepsis-lgbm", "1.0.0", "--user", "alice"])
            #expect(noReason.status == 64, "a usage error: \(noReason.stderr)")
            #expect(noReason.stderr.contains("--reason"))
            let blank = try await Self.vigil(
                database, ["model", "stop", "sepsis-lgbm", "--user", "alice", "--reason", "   "])
            #expect(blank.status == 64 && blank.stderr.contains("--reason must say why"), "\(blank.stderr)")
            let unknown = try await Self.vigil(
                database, ["model", "promote", "sepsis-lgbm", "9.9.9", "--user", "alice", "--reason", "typo check"])
            #expect(unknown.status == 1 && unknown.stderr.contains("vigil model list"), "\(unknown.stderr)")
            #expect(try await Self.statuses(database) == before)
            #expect(try await Self.audits(database).isEmpty)
        }
    }
}
