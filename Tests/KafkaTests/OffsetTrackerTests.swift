import Testing
import VigilKafka

@Suite struct OffsetTrackerTests {
    let p0 = TopicPartition(topic: "t", partition: 0)
    let p1 = TopicPartition(topic: "t", partition: 1)

    @Test func inOrderCompletionStoresNextOffset() {
        var tracker = OffsetTracker()
        tracker.begin(p0, offset: 10)
        tracker.begin(p0, offset: 11)
        #expect(tracker.complete(p0, offset: 10) == .store(p0, offset: 11))
        #expect(tracker.complete(p0, offset: 11) == .store(p0, offset: 12))
        #expect(tracker.inFlight == 0)
    }

    @Test func outOfOrderCompletionWaitsForTheGap() {
        var tracker = OffsetTracker()
        for offset in 0..<4 { tracker.begin(p0, offset: Int64(offset)) }
        #expect(tracker.complete(p0, offset: 2) == nil)
        #expect(tracker.complete(p0, offset: 1) == nil)
        #expect(tracker.inFlight == 2)
        // Offset 0 closes the gap: everything up to 2 is done, so the next offset to read is 3.
        #expect(tracker.complete(p0, offset: 0) == .store(p0, offset: 3))
        #expect(tracker.complete(p0, offset: 3) == .store(p0, offset: 4))
    }

    @Test func offsetsMayHaveHoles() {
        // Compacted topics and transaction markers leave gaps between consecutive record offsets.
        var tracker = OffsetTracker()
        tracker.begin(p0, offset: 5)
        tracker.begin(p0, offset: 9)
        #expect(tracker.complete(p0, offset: 9) == nil)
        #expect(tracker.complete(p0, offset: 5) == .store(p0, offset: 10))
    }

    @Test func partitionsAreIndependent() {
        var tracker = OffsetTracker()
        tracker.begin(p0, offset: 0)
        tracker.begin(p1, offset: 0)
        #expect(tracker.complete(p1, offset: 0) == .store(p1, offset: 1))
        #expect(tracker.inFlight([p0]) == 1)
        #expect(tracker.inFlight([p1]) == 0)
    }

    @Test func forgottenPartitionIgnoresLateCompletions() {
        var tracker = OffsetTracker()
        tracker.begin(p0, offset: 0)
        tracker.forget(p0)
        #expect(tracker.complete(p0, offset: 0) == nil)
        #expect(tracker.inFlight == 0)
    }

    @Test func unknownOffsetIsIgnored() {
        var tracker = OffsetTracker()
        tracker.begin(p0, offset: 0)
        #expect(tracker.complete(p0, offset: 7) == nil)
        #expect(tracker.inFlight == 1)
    }
}
