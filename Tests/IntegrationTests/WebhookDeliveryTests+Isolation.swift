import Foundation
import Notification
import Testing
import VigilPostgres

extension WebhookDeliveryTests {
    /// `/hang` holds its requests; `/ok` must be delivered while they are still held. Proven by order: every
    /// `/ok` delivery is `delivered` in the database before any `/hang` request has been answered.
    @Test func hangingReceiverDoesNotDelayAnother() async throws {
        var configuration = WebhookHarness.configuration
        configuration.timeout = .seconds(15)  // the hang outlasts the test's waiting, not the attempt
        configuration.lease = .seconds(30)
        try await WebhookHarness.with(dispatching: configuration) { harness in
            let hanging = try await harness.subscribe("/hang")
            let healthy = try await harness.subscribe("/ok")
            for index in 0..<6 { try await harness.enqueue("event-\(index)") }
            try await harness.wait("/ok deliveries") {
                try await harness.deliveries(healthy).allSatisfy { $0.status == "delivered" }
            }
            #expect(harness.receiver.hangsAnswered == 0)
            #expect(harness.receiver.arrivals("/hang").count == 4, "at most 4 in flight per subscription")
            #expect(try await harness.deliveries(hanging).allSatisfy { $0.status == "pending" })
            #expect(harness.receiver.arrivals("/ok").count == 6)
            harness.receiver.release()
            try await harness.wait("/hang deliveries") {
                try await harness.deliveries(hanging).allSatisfy { $0.status == "delivered" }
            }
        }
    }

    /// Two failures open the breaker (threshold 2 here); while it is open nothing is sent and no attempts are
    /// used; after `openFor` one probe goes out, and its success closes the breaker.
    @Test func breakerOpensWaitsAndHalfOpenProbeCloses() async throws {
        var configuration = WebhookHarness.configuration
        configuration.breaker = CircuitBreaker.Policy(threshold: 2, openFor: .milliseconds(400), maxOpen: .seconds(1))
        configuration.retry = RetrySchedule(base: .milliseconds(50), cap: .milliseconds(400), maxAttempts: 2)
        configuration.perSubscription = 1
        try await WebhookHarness.with(dispatching: configuration) { harness in
            let subscription = try await harness.subscribe("/fail/2/b")
            for index in 0..<3 { try await harness.enqueue("breaker-\(index)") }
            try await harness.wait("the breaker to open") { try await harness.breakerOpenUntil(subscription) != nil }
            try await harness.wait("deliveries") {
                try await harness.deliveries(subscription).allSatisfy { $0.status == "delivered" }
            }
            let times = harness.receiver.arrivals("/fail/2/b").map(\.at)
            #expect(times.count == 5, "2 failures, then 3 successes: no attempt was spent while open")
            #expect(times[2] - times[1] >= .milliseconds(400), "nothing is sent while the breaker is open")
            #expect(try await harness.breakerOpenUntil(subscription) == nil)
            #expect(try await harness.store.list().map(\.consecutiveFailures) == [0])
        }
    }
}
