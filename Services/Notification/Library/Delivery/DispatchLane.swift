extension DispatchLanes {
    /// One subscription's share of the dispatcher.
    struct Lane {
        /// Claimed, not yet taken by a sender, oldest first from `first`.
        private var waiting: [ClaimedDelivery] = []
        private var first = 0
        var running = 0
        var unrecorded = 0
        /// Attempts sent that the breaker must count first: the lane starts nothing until they are recorded.
        var held = 0
        /// The last claim found fewer due than asked for.
        var drained = false
        /// A sender asked for a refill and no claim has been planned since.
        var asked = false
        var pace = Pace()

        var waitingCount: Int { waiting.count - first }

        mutating func add(_ delivery: ClaimedDelivery) {
            if first > 0 && first >= waiting.count / 2 {
                waiting.removeFirst(first)
                first = 0
            }
            waiting.append(delivery)
        }

        mutating func take() -> ClaimedDelivery? {
            guard first < waiting.count else { return nil }
            defer {
                first += 1
                if first == waiting.count {
                    waiting.removeAll(keepingCapacity: true)
                    first = 0
                }
            }
            return waiting[first]
        }

        mutating func takeAll() -> [ClaimedDelivery] {
            defer {
                waiting = []
                first = 0
            }
            return Array(waiting[first...])
        }

        /// Those claimed with another secret than `sealed`, the current one. Cheap when none are: secrets only
        /// change forward, so if the oldest waiting has the current one, all have.
        mutating func take(sealedOtherThan sealed: [UInt8]) -> [ClaimedDelivery] {
            guard first < waiting.count, waiting[first].secretSealed != sealed else { return [] }
            let stale = waiting[first...].filter { $0.secretSealed != sealed }
            waiting = waiting[first...].filter { $0.secretSealed == sealed }
            first = 0
            return stale
        }

        /// How many the lane would like outstanding: its slots, and what it finished in the last window.
        mutating func target(at now: ContinuousClock.Instant, _ limits: Limits) -> Int {
            limits.perSubscription + min(limits.claimLimit, pace.recent(at: now, window: limits.window))
        }
    }

    /// Attempts finished in the current and the previous window: a rate that forgets a receiver that stalls.
    struct Pace {
        private var start: ContinuousClock.Instant?
        private var current = 0
        private var previous = 0

        mutating func finished(at now: ContinuousClock.Instant, window: Duration) {
            roll(to: now, window: window)
            current += 1
        }

        mutating func recent(at now: ContinuousClock.Instant, window: Duration) -> Int {
            roll(to: now, window: window)
            return max(current, previous)
        }

        private mutating func roll(to now: ContinuousClock.Instant, window: Duration) {
            guard let start else {
                self.start = now
                return
            }
            let elapsed = now - start
            if elapsed >= window * 2 {
                (previous, current, self.start) = (0, 0, now)
            } else if elapsed >= window {
                (previous, current, self.start) = (current, 0, start + window)
            }
        }
    }
}
