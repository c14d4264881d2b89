import Foundation
import VigilModelCore

/// One subscription's breaker, persisted on its row (`consecutive_failures`, `breaker_open_until`,
/// `breaker_opens`) so restarts and other instances see it. Closed → open after `threshold` consecutive
/// failures; open for `openFor`, doubling with each re-opening up to `maxOpen`; then half-open, where one probe
/// is sent: success closes it, failure re-opens it. While open, pending deliveries wait without using attempts.
public struct CircuitBreaker: Sendable, Hashable {
    public struct Policy: Sendable, Hashable {
        public var threshold: Int
        public var openFor: Duration
        public var maxOpen: Duration

        /// Defaults: 5 failures, open 30 s, at most 10 min.
        public init(threshold: Int = 5, openFor: Duration = .seconds(30), maxOpen: Duration = .seconds(600)) {
            precondition(threshold > 0 && openFor > .zero && maxOpen >= openFor, "breaker policy out of range")
            self.threshold = threshold
            self.openFor = openFor
            self.maxOpen = maxOpen
        }
    }

    public enum Phase: Sendable, Hashable {
        case closed
        case open(until: Date)
        case halfOpen
    }

    /// What the owner should report after an outcome.
    public enum Action: Sendable, Hashable {
        case opened(until: Date)
        case closed
    }

    public var failures: Int
    public var openUntil: Date?
    /// Openings since the last success.
    public var opens: Int

    public init(failures: Int = 0, openUntil: Date? = nil, opens: Int = 0) {
        self.failures = failures
        self.openUntil = openUntil
        self.opens = opens
    }

    public func phase(at now: Date) -> Phase {
        guard let openUntil else { return .closed }
        return openUntil > now ? .open(until: openUntil) : .halfOpen
    }

    /// How many deliveries may be in flight: all `slots` when closed, one probe when half-open, none when open.
    public func slots(_ slots: Int, at now: Date) -> Int {
        switch phase(at: now) {
        case .closed: slots
        case .halfOpen: 1
        case .open: 0
        }
    }

    /// Records one attempt's outcome. A failure is one the receiver may recover from (5xx, 408, 429, timeout,
    /// connection error); any other answer proves the receiver is up and counts as success.
    public mutating func record(failure: Bool, at now: Date, policy: Policy) -> Action? {
        guard failure else {
            defer { self = CircuitBreaker() }
            return openUntil == nil ? nil : .closed
        }
        failures += 1
        switch phase(at: now) {
        case .open:
            return nil  // an attempt that started before the breaker opened
        case .halfOpen:
            opens += 1
        case .closed:
            guard failures >= policy.threshold else { return nil }
            opens = 1
        }
        var period = policy.openFor
        for _ in 1..<opens where period < policy.maxOpen { period *= 2 }
        let until = now.addingTimeInterval(min(period, policy.maxOpen).seconds)
        openUntil = until
        return .opened(until: until)
    }
}
