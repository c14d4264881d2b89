import Synchronization

/// Wakes one waiting loop. A signal with no waiter is kept for the next wait, so none is lost; signals before a
/// wait count as one. Not woken by cancellation: whoever cancels also signals.
final class Wakeup: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                guard state.pending else {
                    state.waiter = continuation
                    return false
                }
                state.pending = false
                return true
            }
            if now { continuation.resume() }
        }
    }
}

/// Wakes the claim loop: to start senders or claim what lanes ask for (`wake`), at every poll interval (`tick`),
/// or because deliveries were queued (`queued`).
final class ClaimSignal: Sendable {
    let wakeup = Wakeup()
    private let ticked = Atomic(true)
    private let wasQueued = Atomic(true)

    func wake() { wakeup.signal() }

    func tick() {
        ticked.store(true, ordering: .relaxed)
        wakeup.signal()
    }

    func queued() {
        wasQueued.store(true, ordering: .relaxed)
        wakeup.signal()
    }

    /// Whether a tick, and whether a queueing, came since the last call.
    func take() -> (tick: Bool, queued: Bool) {
        (ticked.exchange(false, ordering: .relaxed), wasQueued.exchange(false, ordering: .relaxed))
    }
}

/// Attempts made and not yet recorded, in the order they finished.
final class RecordQueue: Sendable {
    private let attempts = Mutex<[SentAttempt]>([])
    let wakeup = Wakeup()

    var isEmpty: Bool { attempts.withLock { $0.isEmpty } }

    func add(_ attempt: SentAttempt) {
        attempts.withLock { $0.append(attempt) }
        wakeup.signal()
    }

    /// Up to `limit` attempts in order, no delivery twice (a second attempt at one waits for the next batch).
    func take(limit: Int) -> [SentAttempt] {
        attempts.withLock { queue in
            var seen = Set<Int64>()
            var batch: [SentAttempt] = []
            var rest: [SentAttempt] = []
            for attempt in queue {
                if batch.count < limit && seen.insert(attempt.deliveryID).inserted {
                    batch.append(attempt)
                } else {
                    rest.append(attempt)
                }
            }
            queue = rest
            return batch
        }
    }
}

/// The lanes, shared by the claim loop, the senders and the recorder, each holding the lock only to read or
/// change the bookkeeping.
final class SharedLanes: Sendable {
    private let state: Mutex<DispatchLanes>

    init(_ limits: DispatchLanes.Limits) {
        state = Mutex(DispatchLanes(limits))
    }

    func withLock<Result: Sendable>(_ body: (inout DispatchLanes) -> Result) -> Result {
        state.withLock { body(&$0) }
    }
}
