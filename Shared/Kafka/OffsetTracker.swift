import DequeModule

/// Offset bookkeeping for at-least-once processing with pipelined outputs.
///
/// Records of a partition begin in offset order but their outputs may be acknowledged out of order. The
/// committable position is just past the longest run of completed records from the oldest pending one,
/// so a commit never skips a record whose outputs are still in flight.
public struct OffsetTracker: Sendable {
    public enum Action: Equatable, Sendable {
        /// Store `offset` (the next offset to read) for the partition.
        case store(TopicPartition, offset: Int64)
    }

    private struct Pending {
        var offset: Int64
        var done: Bool
    }

    private var partitions: [TopicPartition: Deque<Pending>] = [:]

    public init() {}

    /// Registers a record that began processing. Offsets of one partition must increase.
    public mutating func begin(_ partition: TopicPartition, offset: Int64) {
        partitions[partition, default: []].append(Pending(offset: offset, done: false))
    }

    /// Marks a record fully processed; returns what to store, if the committable position moved.
    public mutating func complete(_ partition: TopicPartition, offset: Int64) -> Action? {
        guard var pending = partitions[partition] else { return nil }  // partition was revoked
        guard let index = Self.index(of: offset, in: pending) else { return nil }
        pending[index].done = true
        var next: Int64?
        while let first = pending.first, first.done {
            next = first.offset + 1
            pending.removeFirst()
        }
        partitions[partition] = pending
        return next.map { .store(partition, offset: $0) }
    }

    /// Forgets a partition (revoked): late completions for it are ignored.
    public mutating func forget(_ partition: TopicPartition) {
        partitions[partition] = nil
    }

    /// Records begun and not yet complete, across partitions.
    public var inFlight: Int {
        partitions.values.reduce(0) { total, pending in total + pending.count(where: { !$0.done }) }
    }

    /// Records begun and not yet complete in these partitions.
    public func inFlight(_ partitions: [TopicPartition]) -> Int {
        partitions.reduce(0) { total, partition in total + (self.partitions[partition]?.count(where: { !$0.done }) ?? 0) }
    }

    private static func index(of offset: Int64, in pending: Deque<Pending>) -> Int? {
        var low = 0
        var high = pending.count - 1
        while low <= high {
            let mid = (low + high) / 2
            if pending[mid].offset == offset { return mid }
            if pending[mid].offset < offset { low = mid + 1 } else { high = mid - 1 }
        }
        return nil
    }
}
