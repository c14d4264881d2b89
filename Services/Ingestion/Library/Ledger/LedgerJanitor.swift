import Logging
import ServiceLifecycle

/// Purges dedupe-ledger rows past their retention once an hour.
struct LedgerJanitor: Service {
    let ledger: DedupeLedger
    let retention: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            do {
                let removed = try await ledger.purge(olderThan: retention)
                if removed > 0 { logger.info("dedupe ledger purged", metadata: ["rows": "\(removed)"]) }
            } catch {
                logger.warning("dedupe ledger purge failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}
