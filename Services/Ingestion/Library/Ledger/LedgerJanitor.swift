import Logging
import ServiceLifecycle
import VigilRuntime

/// Purges dedupe-ledger rows past their retention once an hour.
struct LedgerJanitor: Service {
    let ledger: DedupeLedger
    let retention: Duration
    let logger: Logger

    func run() async throws {
        await PeriodicPass.run(every: .seconds(3600), logger: logger, failure: "dedupe ledger purge failed") {
            let removed = try await ledger.purge(olderThan: retention)
            if removed > 0 { logger.info("dedupe ledger purged", metadata: ["rows": "\(removed)"]) }
        }
    }
}
