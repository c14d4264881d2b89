import Foundation
import Testing
import VigilModelCore

/// `vigil reidentify` (and `vigil deid reveal`, the same command) against deid's real endpoint: it refuses
/// without a role or a reason before anything is sent, and with both the reveal is answered and audited.
@Suite(.enabled(if: VigilCLI.built && TestDatabase.isConfigured, "needs a build and PostgreSQL (make test)"))
struct ReidentifyCommandTests {
    static func audits(_ database: TestDatabase) async throws -> [(String, String)] {
        let rows = try await database.pool.query(
            "SELECT action, actor FROM audit.log WHERE action LIKE 'deid.reveal%' ORDER BY seq")
        return try rows.map { try $0.decode((String, String).self) }
    }

    @Test func refusesWithoutAReasonOrARoleAndRevealsWithBoth() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let pseudonym = try await ReidTestServer.seed(database).rawValue
            try await ReidTestServer.run(database) { port in
                let url = "http://127.0.0.1:\(port)"
                let token = ["VIGIL_REID_TOKEN": ReidTestServer.operatorToken]
                for command in [["reidentify"], ["deid", "reveal"]] {
                    let noReason = try await VigilCLI.run(
                        command + [pseudonym, "--role", "reidentify", "--url", url], environment: token)
                    #expect(noReason.status == 64, "\(command): \(noReason.stderr)")
                    #expect(noReason.stderr.contains("--reason"))
                    let blank = try await VigilCLI.run(
                        command + [pseudonym, "--role", "reidentify", "--reason", "  ", "--url", url],
                        environment: token)
                    #expect(blank.status == 64 && blank.stderr.contains("--reason must say why"), "\(blank.stderr)")
                    let noRole = try await VigilCLI.run(
                        command + [pseudonym, "--reason", "checking the alert", "--url", url], environment: token)
                    #expect(noRole.status == 64 && noRole.stderr.contains("--role"), "\(noRole.stderr)")
                    #expect(!(noReason.stdout + blank.stdout + noRole.stdout).contains(ReidTestServer.canaryFamily))
                }
                // Nothing reached the endpoint: not even a denial is in the audit log.
                #expect(try await Self.audits(database).isEmpty)

                let revealed = try await VigilCLI.run(
                    ["reidentify", pseudonym, "--role", "reidentify", "--reason", "checking the alert", "--url", url],
                    environment: token)
                #expect(revealed.status == 0, "\(revealed.stderr)")
                #expect(revealed.stdout.contains(ReidTestServer.canaryFamily))
                #expect(try await Self.audits(database).map(\.0) == ["deid.reveal"])
                #expect(try await Self.audits(database).first?.1 == "user:operator")

                // A token without the role: vigil-deid refuses (audited) and the CLI says what to do.
                let refused = try await VigilCLI.run(
                    [
                        "deid", "reveal", pseudonym, "--role", "reidentify", "--reason", "checking the alert", "--url",
                        url,
                    ],
                    environment: ["VIGIL_REID_TOKEN": ReidTestServer.grantToken])
                #expect(refused.status == 77, "\(refused.stderr)")
                #expect(refused.stderr.contains("reidentify role"), "\(refused.stderr)")
                #expect(try await Self.audits(database).map(\.0) == ["deid.reveal", "deid.reveal_denied"])
            }
        }
    }
}
