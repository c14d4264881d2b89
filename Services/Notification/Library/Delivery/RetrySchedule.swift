import VigilModelCore

/// When a failed delivery is tried again. After attempt n (1-based) the ceiling is d = min(cap, base·2^(n−1)),
/// waited as d/2 + random(0, d/2): equal jitter spreads retries yet never waits less than d/2, so tests can
/// assert a lower bound. A longer `Retry-After` is honoured up to `cap`. After `maxAttempts` the delivery is dead.
public struct RetrySchedule: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration
    public var maxAttempts: Int

    /// Defaults: base 10 s, cap 30 min, 10 attempts (about 1.8 h in all).
    public init(base: Duration = .seconds(10), cap: Duration = .seconds(1800), maxAttempts: Int = 10) {
        precondition(base > .zero && cap >= base && maxAttempts > 0, "retry schedule out of range")
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
    }

    /// d for attempt `attempt`: `min(cap, base·2^(attempt−1))`.
    public func ceiling(afterAttempt attempt: Int) -> Duration {
        var delay = base
        for _ in 1..<max(1, attempt) where delay < cap { delay *= 2 }  // stops doubling at cap: no overflow
        return min(delay, cap)
    }

    /// Whether a delivery that has been tried `attempts` times gets no more tries.
    public func isExhausted(attempts: Int) -> Bool { attempts >= maxAttempts }

    /// The wait after attempt `attempt` failed: in [d/2, d], or `retryAfter` (capped) when that is longer.
    public func delay(
        afterAttempt attempt: Int, retryAfter: Duration? = nil, using generator: inout some RandomNumberGenerator
    ) -> Duration {
        let half = ceiling(afterAttempt: attempt) / 2
        let jitter = Duration.nanoseconds(Int64.random(in: 0...max(0, half.nanoseconds), using: &generator))
        return max(half + jitter, min(retryAfter ?? .zero, cap))
    }

    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration {
        var generator = SystemRandomNumberGenerator()
        return delay(afterAttempt: attempt, retryAfter: retryAfter, using: &generator)
    }
}
