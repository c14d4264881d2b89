import DequeModule
import Foundation

/// Hands batches from the consumer's poll thread to one async reader, with backpressure: the poll thread
/// waits while `capacity` records are buffered, so the consumer never reads ahead without bound.
///
/// `@unchecked Sendable`: every field is touched only while `condition` is locked.
final class MessageBuffer: @unchecked Sendable {
    private let condition = NSCondition()
    private var batches: Deque<[KafkaMessage]> = []
    private var count = 0
    private var waiter: CheckedContinuation<[KafkaMessage]?, Never>?
    private var closed = false
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Poll thread: waits up to `timeout` for room; returns false if there is still none (or closed).
    func waitForSpace(timeout: TimeInterval) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while count >= capacity && !closed {
            if !condition.wait(until: deadline) { break }
        }
        return count < capacity && !closed
    }

    /// Poll thread: adds a batch, or hands it straight to a waiting reader.
    func push(_ batch: [KafkaMessage]) {
        guard !batch.isEmpty else { return }
        condition.lock()
        if closed {
            condition.unlock()
            return
        }
        if let waiter {
            self.waiter = nil
            condition.unlock()
            waiter.resume(returning: batch)
            return
        }
        batches.append(batch)
        count += batch.count
        condition.unlock()
    }

    /// Reader: the next batch, or nil once closed.
    func next() async -> [KafkaMessage]? {
        await withCheckedContinuation { continuation in
            condition.lock()
            if let batch = batches.popFirst() {
                count -= batch.count
                condition.signal()
                condition.unlock()
                continuation.resume(returning: batch)
            } else if closed {
                condition.unlock()
                continuation.resume(returning: nil)
            } else {
                waiter = continuation
                condition.unlock()
            }
        }
    }

    /// Drops buffered records of partitions this consumer no longer owns; their new owner reads them.
    func discard(_ partitions: Set<TopicPartition>) {
        condition.lock()
        batches = Deque(
            batches.map { $0.filter { !partitions.contains(TopicPartition(topic: $0.topic, partition: $0.partition)) } }
                .filter { !$0.isEmpty })
        count = batches.reduce(0) { $0 + $1.count }
        condition.broadcast()
        condition.unlock()
    }

    /// Ends the sequence: a waiting reader gets nil, later pushes are dropped.
    func close() {
        condition.lock()
        closed = true
        batches.removeAll()
        count = 0
        let waiter = self.waiter
        self.waiter = nil
        condition.broadcast()
        condition.unlock()
        waiter?.resume(returning: nil)
    }
}
