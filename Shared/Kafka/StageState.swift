import Foundation
import Synchronization

/// Shared between the stage loop, the producer's delivery callbacks and the consumer's rebalance
/// callback: offset bookkeeping, the in-flight bound and the first delivery failure.
final class StageState: Sendable {
    private struct State {
        var tracker = OffsetTracker()
        var inFlight = 0
        var waiters: [(needed: Int, continuation: CheckedContinuation<Void, Never>)] = []
        var failure: KafkaError?
    }

    private let state = Mutex(State())
    private let maxInFlight: Int

    init(maxInFlight: Int) {
        self.maxInFlight = maxInFlight
    }

    var failure: KafkaError? { state.withLock { $0.failure } }

    /// Waits until `count` more records fit under the in-flight bound (an oversize batch waits for zero).
    func acquire(_ count: Int) async {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> Bool in
                if state.inFlight == 0 || state.inFlight + count <= maxInFlight {
                    state.inFlight += count
                    return true
                }
                state.waiters.append((count, continuation))
                return false
            }
            if ready { continuation.resume() }
        }
    }

    func begin(_ partition: TopicPartition, offset: Int64) {
        state.withLock { $0.tracker.begin(partition, offset: offset) }
    }

    /// A record's outputs are all acknowledged: frees its slot, returns the offset to store if any.
    func complete(_ partition: TopicPartition, offset: Int64) -> OffsetTracker.Action? {
        let (action, wake) = state.withLock { state in
            state.inFlight -= 1
            return (state.tracker.complete(partition, offset: offset), Self.takeReady(&state, max: maxInFlight))
        }
        wake.forEach { $0.resume() }
        return action
    }

    /// A delivery failed for good: the stage stops; the failed record's offset is never stored.
    func fail(_ error: KafkaError) {
        let wake = state.withLock { state in
            state.inFlight -= 1
            if state.failure == nil { state.failure = error }
            return Self.takeReady(&state, max: maxInFlight)
        }
        wake.forEach { $0.resume() }
    }

    /// Rebalance (poll thread): waits up to `timeout` for the revoked partitions' records to complete,
    /// then forgets them. Blocking is fine here: the poll thread is ours, not the cooperative pool's.
    func drain(_ partitions: [TopicPartition], timeout: Duration) {
        let deadline = ContinuousClock.now + timeout
        while state.withLock({ $0.tracker.inFlight(partitions) }) > 0 && ContinuousClock.now < deadline {
            Thread.sleep(forTimeInterval: 0.005)
        }
        state.withLock { state in partitions.forEach { state.tracker.forget($0) } }
    }

    func waitUntilIdle() async {
        while state.withLock({ $0.inFlight }) > 0 {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    private static func takeReady(_ state: inout State, max: Int) -> [CheckedContinuation<Void, Never>] {
        var ready: [CheckedContinuation<Void, Never>] = []
        while let first = state.waiters.first, state.inFlight == 0 || state.inFlight + first.needed <= max {
            state.inFlight += first.needed
            ready.append(first.continuation)
            state.waiters.removeFirst()
        }
        return ready
    }
}
