import Foundation
import Testing

@testable import Notification

/// The dispatcher's bookkeeping without a database or receiver: slots, holding after a failure, handing back
/// what will not be sent, and how far ahead a lane claims.
@Suite struct DispatchLanesTests {
    static let subscription = UUID()
    static let now = ContinuousClock.now

    /// Lease 30 s and timeout 10 s: a lane claims what it finished in 10 s, and sends only with 15 s of lease left.
    static func lanes(perSubscription: Int = 4, total: Int = 64, claimLimit: Int = 100) -> DispatchLanes {
        DispatchLanes(
            DispatchLanes.Limits(
                WebhookDispatcherConfiguration(
                    timeout: .seconds(10), lease: .seconds(30), perSubscription: perSubscription, total: total,
                    claimLimit: claimLimit)))
    }

    static func deliveries(
        _ ids: ClosedRange<Int64>, to subscription: UUID = subscription, expiring: Duration = .seconds(30),
        sealed: [UInt8] = [1]
    ) -> [ClaimedDelivery] {
        ids.map { id in
            ClaimedDelivery(
                id: id, subscriptionID: subscription, eventID: "e\(id)", attempts: 0, url: "https://example.org/hook",
                secretSealed: sealed, body: "{}", lease: "", expires: now + expiring)
        }
    }

    static func attempt(_ id: Int64, _ outcome: AttemptOutcome, to subscription: UUID = subscription) -> SentAttempt {
        SentAttempt(
            deliveryID: id, subscriptionID: subscription, priorAttempts: 0, outcome: outcome, startedAt: Date(),
            duration: .milliseconds(1))
    }

    static func sent(_ step: DispatchLanes.Step) -> Int64? {
        guard case .send(let delivery, _) = step else { return nil }
        return delivery.id
    }

    @Test func sendersNeverExceedTheSubscriptionsSlotsOrTheTotal() {
        var lanes = Self.lanes(perSubscription: 2, total: 3)
        let other = UUID()
        lanes.claimed(Self.deliveries(1...5) + Self.deliveries(6...10, to: other), wants: [], fresh: 2)
        let started = lanes.start()
        #expect(started.count == 3)
        #expect(started.filter { $0 == Self.subscription }.count <= 2 && started.filter { $0 == other }.count <= 2)
        #expect(lanes.start().isEmpty)
        lanes.ended(started[0])
        #expect(lanes.start() == [started[0]])
    }

    @Test func aFailureHoldsTheLaneUntilTheBreakerHasCountedIt() {
        var lanes = Self.lanes()
        lanes.claimed(Self.deliveries(1...3), wants: [], fresh: 4)
        _ = lanes.start()
        #expect(Self.sent(lanes.next(Self.subscription, at: Self.now)) == 1)
        lanes.sent(Self.subscription, .response(503), at: Self.now)
        #expect(Self.sent(lanes.next(Self.subscription, at: Self.now)) == nil)
        lanes.ended(Self.subscription)
        lanes.ended(Self.subscription)
        lanes.ended(Self.subscription)
        #expect(lanes.start().isEmpty, "held: nothing starts")
        lanes.recorded([Self.attempt(1, .response(503))], DeliveryQueue.Batch())
        #expect(lanes.start().count == 2)
        #expect(Self.sent(lanes.next(Self.subscription, at: Self.now)) == 2)
    }

    @Test func successesAndRejectionsDoNotHold() {
        var lanes = Self.lanes()
        lanes.claimed(Self.deliveries(1...3), wants: [], fresh: 4)
        _ = lanes.start()
        #expect(Self.sent(lanes.next(Self.subscription, at: Self.now)) == 1)
        lanes.sent(Self.subscription, .response(204), at: Self.now)
        #expect(Self.sent(lanes.next(Self.subscription, at: Self.now)) == 2)
        lanes.sent(Self.subscription, .response(400), at: Self.now)
        #expect(Self.sent(lanes.next(Self.subscription, at: Self.now)) == 3)
    }

    @Test func aStoppedSubscriptionHandsBackWhatWaits() {
        var lanes = Self.lanes()
        lanes.claimed(Self.deliveries(1...5), wants: [], fresh: 4)
        var batch = DeliveryQueue.Batch()
        batch.stopped = [Self.subscription]
        lanes.recorded([], batch)
        #expect(lanes.takeUnsent().map(\.id) == [1, 2, 3, 4, 5])
        #expect(lanes.start().isEmpty)
    }

    @Test func deliveriesClaimedBeforeARotationAreHandedBack() {
        var lanes = Self.lanes()
        lanes.claimed(Self.deliveries(1...2, sealed: [1]) + Self.deliveries(3...4, sealed: [2]), wants: [], fresh: 4)
        var batch = DeliveryQueue.Batch()
        batch.secrets = [Self.subscription: [2]]
        lanes.recorded([], batch)
        #expect(lanes.takeUnsent().map(\.id) == [1, 2])
        _ = lanes.start()
        #expect(Self.sent(lanes.next(Self.subscription, at: Self.now)) == 3)
    }

    @Test func aLeaseTooShortToFinishAnAttemptIsHandedBackUnsent() {
        var lanes = Self.lanes()
        lanes.claimed(
            Self.deliveries(1...1, expiring: .seconds(14)) + Self.deliveries(2...2, expiring: .seconds(16)), wants: [],
            fresh: 4)
        _ = lanes.start()
        #expect(Self.sent(lanes.next(Self.subscription, at: Self.now)) == 2)
        #expect(lanes.takeUnsent().map(\.id) == [1])
    }

    @Test func aLaneClaimsAheadByWhatItFinishedUpToTheLimitAndForgetsAStall() {
        var lanes = Self.lanes(claimLimit: 100)
        lanes.claimed(Self.deliveries(1...4), wants: [], fresh: 4)
        _ = lanes.start()
        for _ in 1...4 {
            _ = lanes.next(Self.subscription, at: Self.now)
            lanes.sent(Self.subscription, .response(204), at: Self.now)
        }
        for _ in 1...4 { lanes.ended(Self.subscription) }
        lanes.recorded((1...4).map { Self.attempt($0, .response(204)) }, DeliveryQueue.Batch())
        #expect(lanes.wants(at: Self.now, retry: false, look: false)?.map(\.count) == [8], "its slots and 4 finished")

        for _ in 1...500 { lanes.sent(Self.subscription, .response(204), at: Self.now) }
        lanes.recorded((1...500).map { Self.attempt($0, .response(204)) }, DeliveryQueue.Batch())
        #expect(lanes.wants(at: Self.now, retry: false, look: false)?.map(\.count) == [104], "at most the limit ahead")

        // Twenty-five seconds without an answer is more than two windows: back to its slots, so forgotten.
        #expect(lanes.wants(at: Self.now + .seconds(25), retry: false, look: false) == nil)
        #expect(lanes.lanes.isEmpty)
    }

    @Test func aLaneThatFoundLessThanItAskedForWaitsForATick() {
        var lanes = Self.lanes()
        lanes.claimed(
            Self.deliveries(1...1), wants: [DeliveryQueue.Want(subscription: Self.subscription, count: 1, busy: 0)],
            fresh: 4)
        _ = lanes.start()
        _ = lanes.next(Self.subscription, at: Self.now)
        let wants = lanes.wants(at: Self.now, retry: false, look: false)
        #expect(wants?.map(\.count) == [3])
        lanes.claimed([], wants: wants ?? [], fresh: 4)
        #expect(lanes.wants(at: Self.now, retry: false, look: false) == nil)
        #expect(lanes.wants(at: Self.now, retry: true, look: false)?.map(\.count) == [3])
    }
}
