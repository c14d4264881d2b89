import Synchronization

/// Stops calling a failing endpoint: `failureThreshold` consecutive failures open the circuit for
/// `coolDown`; a 429 opens it until its Retry-After. After the wait one probe call is let through
/// (half-open): success closes the circuit, failure opens it again.
public final class CircuitBreaker: Sendable {
    public enum State: Hashable, Sendable {
        case closed(failures: Int)
        case open(until: ContinuousClock.Instant)
        case halfOpen(probeInFlight: Bool)
    }

    public let failureThreshold: Int
    public let coolDown: Duration
    private let now: @Sendable () -> ContinuousClock.Instant
    private let state = Mutex(State.closed(failures: 0))

    public init(
        failureThreshold: Int, coolDown: Duration,
        now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.failureThreshold = max(1, failureThreshold)
        self.coolDown = coolDown
        self.now = now
    }

    public var current: State { state.withLock { $0 } }

    /// Whether a call may be made now; a true answer in half-open state reserves the single probe, so the
    /// caller must report its outcome (`recordSuccess`, `recordFailure` or `abandon`).
    public func acquire() -> Bool {
        let now = now()
        return state.withLock { state in
            switch state {
            case .closed: return true
            case .open(let until) where now >= until:
                state = .halfOpen(probeInFlight: true)
                return true
            case .open: return false
            case .halfOpen(let probeInFlight):
                if probeInFlight { return false }
                state = .halfOpen(probeInFlight: true)
                return true
            }
        }
    }

    public func recordSuccess() {
        state.withLock { $0 = .closed(failures: 0) }
    }

    /// A failed call; `retryAfter` (from a 429) opens the circuit for that long whatever the count.
    public func recordFailure(retryAfter: Duration? = nil) {
        let now = now()
        state.withLock { state in
            if let retryAfter {
                state = .open(until: now + retryAfter)
                return
            }
            switch state {
            case .closed(let failures) where failures + 1 < failureThreshold:
                state = .closed(failures: failures + 1)
            case .closed, .halfOpen, .open:
                state = .open(until: now + coolDown)
            }
        }
    }

    /// A permitted call that was not made or was cancelled by us: says nothing about the endpoint, but
    /// frees the half-open probe.
    public func abandon() {
        state.withLock { state in
            if case .halfOpen = state { state = .halfOpen(probeInFlight: false) }
        }
    }
}
