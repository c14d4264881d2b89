import ArgumentParser
import Evidence
import Foundation
import VigilModelCore

/// `vigil evidence export`: what the deployer of a high-risk AI system keeps and shows for a period (EU AI Act
/// Arts. 12, 13, 14, 72 and serious-incident candidates), written as evidence.json, evidence.md and SVG plots.
struct EvidenceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evidence", abstract: "Export the regulatory evidence pack of a period.",
        subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write evidence.json, evidence.md and plots for [FROM, TO); exit 1 if the audit chain is broken.",
            discussion: """
                Example: vigil evidence export --from 2026-11-01 --to 2026-12-01 --out evidence-2026-11
                FROM and TO are ISO 8601 dates (midnight UTC) or times.
                Needs a role that reads the audit, infer and notify schemas (the operator's `vigil`).
                The whole audit chain is verified, not only the period's entries.
                Each section and the article it serves: docs/evidence-pack.md.
                """)

        @OptionGroup var connection: ConnectionOptions
        @Option(help: "Start of the period (inclusive), ISO 8601.") var from: String
        @Option(help: "End of the period (exclusive), ISO 8601.") var to: String
        @Option(help: "Folder for the pack (created if missing; its files are overwritten).") var out: String

        func run() async throws {
            let (start, end) = (try Self.date(from, "--from"), try Self.date(to, "--to"))
            guard start < end else { throw ValidationError("--from must be before --to") }
            let pack: EvidencePack
            do {
                pack = try await connection.withPool(size: 1) { pool in
                    try await EvidenceReader(pool: pool).read(from: start, to: end)
                }
            } catch {
                throw CLIFailure(
                    "evidence export failed: \(error)\nIs PostgreSQL up and migrated? `vigil doctor` checks.")
            }
            try EvidenceWriter.write(pack, to: URL(fileURLWithPath: out))
            let summary = pack.summary
            print("wrote \(out)/\(EvidenceWriter.jsonFile) and \(out)/\(EvidenceWriter.markdownFile)")
            print(summary.auditChainIntact ? summary.auditChain : "AUDIT CHAIN BROKEN: \(summary.auditChain)")
            print(
                "entries \(summary.auditEntries), acknowledgements \(summary.acknowledgements), overrides "
                    + "\(summary.overrides), snoozes \(summary.snoozes), stop-switch uses \(summary.stopSwitchUses), "
                    + "identity reveals \(summary.identityReveals), monitoring windows \(summary.monitoringWindows), "
                    + "incident candidates \(summary.incidentCandidates)")
            for finding in summary.findings { print("- \(finding)") }
            if !summary.auditChainIntact { throw ExitCode(1) }
        }

        /// A bare date means its midnight UTC.
        static func date(_ text: String, _ option: String) throws -> Date {
            if let value = Timestamp.parse(text) { return value }
            let day = ISO8601DateFormatter()
            day.formatOptions = [.withFullDate]
            if let value = day.date(from: text) { return value }
            throw ValidationError("\(option): '\(text)' is not an ISO 8601 date or time")
        }
    }
}
