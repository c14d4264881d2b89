import Logging
import ServiceLifecycle

/// The loop of every background pass (relays, timers, watchers, janitors): run the pass, wait, again, until
/// graceful shutdown. A failed pass is logged by its error's type only (errors may quote row values) and simply
/// runs again next time: these passes are all safe to repeat.
public enum PeriodicPass {
    public static func run(
        every interval: Duration, logger: Logger, failure: Logger.Message, _ pass: () async throws -> Void
    ) async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await pass()
            } catch {
                logger.warning(failure, metadata: ["error.type": "\(type(of: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
