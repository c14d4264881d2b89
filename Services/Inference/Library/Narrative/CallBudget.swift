import Synchronization

/// At most `limit` calls in any rolling hour.
public final class CallBudget: Sendable {
    public let limit: Int
    public let window: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    /// Times of the calls inside the window, oldest first.
    private let calls = Mutex<[ContinuousClock.Instant]>([])

    public init(
        perHour limit: Int, window: Duration = .seconds(3600),
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.limit = max(0, limit)
        self.window = window
        self.now = now
    }

    /// Takes one call from the budget if any is left.
    public func tryConsume() -> Bool {
        let now = now()
        return calls.withLock { calls in
            let expired = calls.prefix { now - $0 >= window }.count
            calls.removeFirst(expired)
            guard calls.count < limit else { return false }
            calls.append(now)
            return true
        }
    }

    public var remaining: Int {
        let now = now()
        return calls.withLock { calls in limit - calls.count(where: { now - $0 < window }) }
    }
}
