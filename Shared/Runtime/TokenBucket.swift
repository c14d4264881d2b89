import Synchronization
import VigilModelCore

/// A token bucket: `rate` tokens a second, holding at most `capacity`, starting full. Taking a token when
/// none is left borrows from the future and says how long to wait, so concurrent takers queue in order
/// and the long-run rate never exceeds `rate` (at most `capacity` go through at once).
public struct TokenBucket: Sendable {
    public let rate: Double
    public let capacity: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    /// `rate` > 0 tokens a second; `capacity` ≥ 1.
    public init(rate: Double, capacity: Double = 1, now: ContinuousClock.Instant = .now) {
        precondition(rate > 0 && capacity >= 1, "a token bucket needs a positive rate and room for one token")
        self.rate = rate
        self.capacity = capacity
        self.tokens = capacity
        self.updated = now
    }

    /// Takes one token; returns how long to wait before using it (zero when one was there).
    public mutating func take(now: ContinuousClock.Instant = .now) -> Duration {
        if now > updated {
            tokens = min(capacity, tokens + (now - updated).seconds * rate)
            updated = now
        }
        tokens -= 1
        return tokens >= 0 ? .zero : .seconds(-tokens / rate)
    }
}

/// A token bucket shared by concurrent senders (e.g. several MLLP connections under one `--rate`).
public final class RateLimiter: Sendable {
    private let bucket: Mutex<TokenBucket>

    /// `perSecond` > 0. The bucket holds a twentieth of a second's worth (at least one), so high rates are
    /// reached despite coarse sleeps and low rates are spaced evenly.
    public init(perSecond: Double) {
        bucket = Mutex(TokenBucket(rate: perSecond, capacity: max(1, (perSecond / 20).rounded(.down))))
    }

    /// Waits until the caller may send one message.
    public func acquire() async throws {
        let wait = bucket.withLock { $0.take() }
        if wait > .zero { try await Task.sleep(for: wait) }
    }
}
