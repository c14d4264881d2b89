import Foundation
import Ingestion
import Testing
import VigilModelCore

extension PipelineTests {
    /// After the pipeline has written its audit trail, an admin edits one row (switching off the append-only
    /// trigger, as only the table's owner can): the built `vigil audit verify` exits non-zero naming that seq.
    @Suite struct PipelineAuditTamperTests {
        @Test func editedAuditRowFailsVerificationNamingItsSeq() async throws {
            try await PipelineHarness.with { pipeline in
                try await pipeline.startAll()
                let codes = try await MLLPClient.codes(
                    port: pipeline.mllpPort,
                    messages: PipelineMessages.hl7(at: Date().addingTimeInterval(-300), run: "audit"))
                #expect(codes == ["AA", "AA", "AA"])
                let alerted = try await pipeline.wait(timeout: .seconds(120)) {
                    try await pipeline.count("SELECT count(*)::int FROM notify.alert_events WHERE action = 'raised'")
                        > 0
                }
                #expect(alerted, "the pipeline raised an alert")
                let url = ServiceProcess.url(role: "audit", database: pipeline.database.name)
                let intact = try await Self.verify(url)
                #expect(intact.status == 0 && intact.output.contains("audit chain intact"), "\(intact.output)")

                let seqs = try await pipeline.strings("SELECT seq::text FROM audit.log ORDER BY seq")
                #expect(seqs.count >= 3, "services audited their start-up and work: \(seqs.count) entries")
                let target = try #require(Int(seqs[seqs.count / 2]))
                // A plain UPDATE is refused, even for the admin.
                await #expect(throws: (any Error).self) {
                    _ = try await pipeline.database.pool.execute(
                        "UPDATE audit.log SET subject = subject || ' (edited)' WHERE seq = \(target)")
                }
                try await pipeline.database.pool.withConnection { connection in
                    try await connection.simpleExecute(
                        """
                        BEGIN; ALTER TABLE audit.log DISABLE TRIGGER log_append_only;
                        UPDATE audit.log SET subject = subject || ' (edited)' WHERE seq = \(target);
                        ALTER TABLE audit.log ENABLE ALWAYS TRIGGER log_append_only; COMMIT
                        """)
                }
                let broken = try await Self.verify(url)
                #expect(broken.status != 0, "verify fails after the edit: \(broken.output)")
                #expect(broken.output.contains("seq \(target):"), "verify names seq \(target): \(broken.output)")
            }
        }

        /// Runs `.build/debug/vigil audit verify` against `url`; its exit status and output.
        static func verify(_ url: String) async throws -> (status: Int32, output: String) {
            let process = Process()
            process.executableURL = ServiceProcess.binaries.appendingPathComponent("vigil")
            process.arguments = ["audit", "verify", "--pg-url", url]
            process.environment = ServiceProcess.environment
            let output = FileManager.default.temporaryDirectory.appendingPathComponent("audit-verify-\(UUID()).txt")
            FileManager.default.createFile(atPath: output.path, contents: nil)
            let handle = try FileHandle(forWritingTo: output)
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            try handle.close()
            let exited = await ServiceProcess.waitForExit(process, timeout: .seconds(60))
            if !exited { process.terminate() }
            defer { try? FileManager.default.removeItem(at: output) }
            return (exited ? process.terminationStatus : -1, (try? String(contentsOf: output, encoding: .utf8)) ?? "")
        }
    }
}
