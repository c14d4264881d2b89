import Foundation

/// The dispatcher's bookkeeping per subscription: deliveries claimed and waiting, senders running, attempts sent
/// but not yet recorded, and how many it finished lately. No I/O: the dispatcher keeps it in a Mutex and does
/// what it returns.
///
/// A lane claims ahead by what it finished in the last `window` (at most `claimLimit` beyond its slots), so a
/// fast receiver never waits for a claim, while a slow or stalled one holds little more than its slots. A
/// delivery whose lease would run out before an attempt could be made and recorded is handed back unsent.
struct DispatchLanes {
    struct Limits: Sendable {
        var perSubscription: Int
        var total: Int
        var claimLimit: Int
        /// A lane claims what it finished in this long.
        var window: Duration
        /// The lease an attempt needs left to start: its timeout, and time to record it.
        var sendBy: Duration

        init(_ configuration: WebhookDispatcherConfiguration) {
            let slack = configuration.lease - configuration.timeout
            perSubscription = configuration.perSubscription
            total = configuration.total
            claimLimit = configuration.claimLimit
            window = slack / 2
            sendBy = configuration.timeout + slack / 4
        }
    }

    enum Step: Sendable {
        /// Send this one; `refill` asks the claim loop for more.
        case send(ClaimedDelivery, refill: Bool)
        /// Nothing to send now: the sender ends.
        case stop
    }

    let limits: Limits
    private(set) var lanes: [UUID: Lane] = [:]
    /// Senders running in all.
    private(set) var running = 0
    private(set) var stopping = false
    /// Claimed deliveries that will not be sent, to release.
    private var unsent: [ClaimedDelivery] = []

    init(_ limits: Limits) {
        self.limits = limits
    }

    /// An attempt the breaker must count before the lane goes on: a failure it might open on, or a 410.
    static func holds(_ outcome: AttemptOutcome) -> Bool {
        outcome.verdict == .retry || outcome.verdict == .gone
    }

    /// What to claim for each known lane (zero for one that is full, drained or held), or nil when no lane asks
    /// and `look` (look for every due delivery, new subscriptions' too) is not set. `retry` lets lanes that found
    /// nothing due last time ask again. Forgets idle lanes.
    mutating func wants(at now: ContinuousClock.Instant, retry: Bool, look: Bool) -> [DeliveryQueue.Want]? {
        guard !stopping else { return nil }
        var wants: [DeliveryQueue.Want] = []
        var asking = look
        for id in Array(lanes.keys) {
            let target = lanes[id]!.target(at: now, limits)
            if retry { lanes[id]!.drained = false }
            lanes[id]!.asked = false
            let lane = lanes[id]!
            let busy = lane.waitingCount + lane.running + lane.unrecorded
            if busy == 0 && target == limits.perSubscription {
                lanes[id] = nil  // a claim treats it as new again
                continue
            }
            // Unrecorded attempts do not count: the recorder catches up in batches, and `next` bounds them.
            let full = lane.held > 0 || lane.drained || lane.waitingCount > target / 2
            let want = full ? 0 : max(0, target - lane.waitingCount - lane.running)
            asking = asking || want > 0
            wants.append(DeliveryQueue.Want(subscription: id, count: want, busy: busy))
        }
        return asking ? wants : nil
    }

    /// Adds what a claim returned. A lane that got less than it asked for has nothing more due: it waits for a
    /// poll before asking again (unless the claim's overall limit cut it short).
    mutating func claimed(_ deliveries: [ClaimedDelivery], wants: [DeliveryQueue.Want], fresh: Int) {
        var got: [UUID: Int] = [:]
        for delivery in deliveries {
            lanes[delivery.subscriptionID, default: Lane()].add(delivery)
            got[delivery.subscriptionID, default: 0] += 1
        }
        guard deliveries.count < limits.claimLimit else { return }
        let asked = Dictionary(uniqueKeysWithValues: wants.map { ($0.subscription, $0.count) })
        for id in Set(asked.keys).union(got.keys) where lanes[id] != nil {
            if got[id, default: 0] < asked[id] ?? fresh { lanes[id]!.drained = true }
        }
    }

    /// Senders to start, one per subscription id returned: a free slot of a lane with deliveries waiting, at most
    /// `total` running in all, handed out a slot per lane in turn.
    mutating func start() -> [UUID] {
        guard !stopping else { return [] }
        var wanted: [UUID: Int] = [:]
        for (id, lane) in lanes where lane.held == 0 && lane.unrecorded < limits.claimLimit {
            let free = min(limits.perSubscription - lane.running, lane.waitingCount)
            if free > 0 { wanted[id] = free }
        }
        var started: [UUID] = []
        while running < limits.total && !wanted.isEmpty {
            for (id, free) in wanted where running < limits.total {
                started.append(id)
                lanes[id]!.running += 1
                running += 1
                wanted[id] = free > 1 ? free - 1 : nil
            }
        }
        return started
    }

    /// The next delivery for a sender of `id`'s lane. Skips (for release) any whose lease is too short.
    mutating func next(_ id: UUID, at now: ContinuousClock.Instant) -> Step {
        guard !stopping, lanes[id]?.held == 0, lanes[id]!.unrecorded < limits.claimLimit else { return .stop }
        while let delivery = lanes[id]!.take() {
            guard delivery.expires - now >= limits.sendBy else {
                unsent.append(delivery)
                continue
            }
            let target = lanes[id]!.target(at: now, limits)
            let lane = lanes[id]!
            let refill = !lane.asked && !lane.drained && lane.waitingCount <= target / 2
            if refill { lanes[id]!.asked = true }
            return .send(delivery, refill: refill)
        }
        return .stop
    }

    /// A sender has ended.
    mutating func ended(_ id: UUID) {
        lanes[id]?.running -= 1
        running -= 1
    }

    /// An attempt was made and waits to be recorded.
    mutating func sent(_ id: UUID, _ outcome: AttemptOutcome, at now: ContinuousClock.Instant) {
        lanes[id]?.unrecorded += 1
        if Self.holds(outcome) { lanes[id]?.held += 1 }
        lanes[id]?.pace.finished(at: now, window: limits.window)
    }

    /// A batch of attempts was recorded (or failed to be). Lanes of stopped subscriptions hand back what waits,
    /// and others what was claimed with a secret since rotated.
    mutating func recorded(_ attempts: [SentAttempt], _ batch: DeliveryQueue.Batch) {
        for attempt in attempts {
            lanes[attempt.subscriptionID]?.unrecorded -= 1
            if Self.holds(attempt.outcome) { lanes[attempt.subscriptionID]?.held -= 1 }
        }
        for id in batch.stopped { unsent += lanes[id]?.takeAll() ?? [] }
        for (id, sealed) in batch.secrets where !batch.stopped.contains(id) {
            unsent += lanes[id]?.take(sealedOtherThan: sealed) ?? []
        }
    }

    /// Starts nothing more; everything waiting is to be released.
    mutating func stop() {
        stopping = true
        for id in lanes.keys { unsent += lanes[id]!.takeAll() }
    }

    mutating func takeUnsent() -> [ClaimedDelivery] {
        defer { unsent = [] }
        return unsent
    }
}
