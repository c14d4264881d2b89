import Foundation
import ArgumentParser
import VigilAudit

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
                let hex = head.hash.map { String(format: "%02x", $0) }.joined()
                print("audit chain intact: \(rows) entries, head seq \(head.seq) hash \(hex)")
            case .broken(let link):
                print("\(link)")
                throw ExitCode(1)
            }
        }
    }
}
