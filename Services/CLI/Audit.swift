import Foundation
import ArgumentParser
import VigilAudit
import VigilModelCore

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Work with the hash-chained audit log.", subcommands: [Verify.self])

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every entry's hash and link; report the first broken entry (exit 1) or the head.")

        @OptionGroup var connection: ConnectionOptions

        func run() async throws {
            let result = try await connection.withPool(size: 1) { pool in try await AuditVerifier.verify(pool) }
            switch result {
            case .intact(let rows, let head):
                let hex = Hex.encode(head.hash)
                print("audit chain intact: \(rows) entries, head seq \(head.seq) hash \(hex)")
            case .broken(let link):
                print("\(link)")
                throw ExitCode(1)
            }
        }
    }
}
