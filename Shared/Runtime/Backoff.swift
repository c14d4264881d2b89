import Logging

/// Retries an operation with exponential backoff until it succeeds or the task is cancelled; used while
/// the broker or database is not up yet, so services can start in any order.
public struct Backoff: Sendable {
    public var initial: Duration
    public var maximum: Duration

    public init(initial: Duration = .milliseconds(200), maximum: Duration = .seconds(5)) {
        self.initial = initial
        self.maximum = maximum
    }

    public func retry<T: Sendable>(
        _ what: String, logger: Logger, _ operation: () async throws -> T
    ) async throws -> T {
        var delay = initial
        var attempt = 1
        while true {
            do { return try await operation() } catch {
                if Task.isCancelled { throw CancellationError() }
                logger.warning(
                    "waiting for \(what)", metadata: ["attempt": "\(attempt)", "error": "\(error)", "retry.delay": "\(delay)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, maximum)
                attempt += 1
            }
        }
    }
}
