import Foundation
import Notification
import Testing
import VigilModelCore

extension WebhookDeliveryTests {
    @Test func filtersChooseSubscriptions() async throws {
        try await WebhookHarness.with(dispatching: nil) { harness in
            let critical = try await harness.subscribe("/a", filter: SubscriptionFilter(severities: [.critical]))
            let review = try await harness.subscribe("/b", filter: SubscriptionFilter(rules: ["news2.review"]))
            let acks = try await harness.subscribe("/c", filter: SubscriptionFilter(actions: [.acknowledged]))
            let all = try await harness.subscribe("/d")
            let both = try await harness.subscribe(
                "/e", filter: SubscriptionFilter(severities: [.high, .critical], rules: ["sepsis.high"]))
            #expect(
                try await harness.store.list().map(\.filter)
                    == [critical, review, acks, all, both].map(\.subscription.filter))

            try await harness.enqueue("one", severity: .high, rule: "news2.review", action: .raised)
            try await harness.enqueue("two", severity: .critical, rule: "sepsis.high", action: .escalated)
            try await harness.enqueue("three", severity: .high, rule: "sepsis.high", action: .acknowledged)
            var counts: [Int] = []
            for subscription in [critical, review, acks, all, both] {
                counts.append(try await harness.deliveries(subscription).count)
            }
            #expect(counts == [1, 1, 1, 3, 2])
        }
    }

    @Test func enqueueTwiceQueuesOnce() async throws {
        try await WebhookHarness.with(dispatching: nil) { harness in
            let subscription = try await harness.subscribe("/ok")
            let id = EventIDs.make("twice")
            let first = try await harness.store.enqueue(
                eventID: id, body: "{}", severity: .high, rule: "news2.review", action: .raised)
            let second = try await harness.store.enqueue(
                eventID: id, body: "{}", severity: .high, rule: "news2.review", action: .raised)
            #expect(first == 1 && second == 0)
            #expect(try await harness.deliveries(subscription).count == 1)
            try await harness.store.disable(id: subscription.subscription.id, actor: "user:tester")
            #expect(
                try await harness.store.enqueue(
                    eventID: EventIDs.make("after"), body: "{}", severity: .high, rule: "r", action: .raised) == 0)
        }
    }

    @Test func secretNeverAppearsInLogs() async throws {
        try await WebhookHarness.with { harness in
            let subscription = try await harness.subscribe("/fail/1/a")
            let rotated = try await harness.store.rotateSecret(id: subscription.subscription.id, actor: "user:tester")
            let gone = try await harness.subscribe("/gone")
            try await harness.enqueue("logged")
            try await harness.wait("deliveries") {
                guard try await harness.deliveries(subscription).first?.status == "delivered" else { return false }
                return try await harness.deliveries(gone).first?.status == "dead"
            }
            let text = harness.logs.text
            #expect(text.contains("webhook"), "the dispatcher logged its work")
            for secret in [subscription.secret, rotated, gone.secret] {
                #expect(!text.contains(secret.encoded.dropFirst(6)))
            }
            #expect(!text.contains("RECEIVER-BODY") && !text.contains("127.0.0.1:\(harness.port)"))
        }
    }
}

enum EventIDs {
    static func make(_ name: String) -> EventID { .derive(namespace: "test", parts: [name, UUID().uuidString]) }
}
