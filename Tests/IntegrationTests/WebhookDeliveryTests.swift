import Crypto
import Foundation
import Notification
import Testing
import VigilModelCore
import VigilPostgres

/// Webhook delivery against a local receiver and a fresh database: signatures, the retry table, backoff, dead
/// letters, 410, and isolation between subscriptions (docs/design/notification.md §5, §10).
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"), .timeLimit(.minutes(2)))
struct WebhookDeliveryTests {
    @Test func webhookSignatureVerifies() async throws {
        try await WebhookHarness.with { harness in
            let subscription = try await harness.subscribe("/ok")
            let event = try await harness.enqueue("signed")
            try await harness.wait("delivery") {
                try await harness.deliveries(subscription).first?.status == "delivered"
            }
            let arrival = try #require(harness.receiver.arrivals("/ok").first)
            #expect(arrival.headers["content-type"] == "application/cloudevents+json")
            #expect(arrival.headers["webhook-id"] == event.id.rawValue && arrival.body == event.body)
            let timestamp = try #require(arrival.headers["webhook-timestamp"].flatMap { Int64($0) })
            #expect(abs(Date().timeIntervalSince1970 - Double(timestamp)) < 300)
            // The receiver's own computation, not WebhookSigner's.
            let key = try #require(Data(base64Encoded: String(subscription.secret.encoded.dropFirst(6))))
            let header = arrival.headers["webhook-signature"]
            #expect(header == Self.sign(key, event.id.rawValue, timestamp, arrival.body))
            #expect(header != Self.sign(key, event.id.rawValue, timestamp, arrival.body + " "))

            // After a rotation both secrets sign, the new one first.
            let rotated = try await harness.store.rotateSecret(id: subscription.subscription.id, actor: "user:tester")
            let second = try await harness.enqueue("after-rotation")
            try await harness.wait("second delivery") { harness.receiver.arrivals("/ok").count == 2 }
            let next = harness.receiver.arrivals("/ok")[1]
            let time = try #require(next.headers["webhook-timestamp"].flatMap { Int64($0) })
            let newKey = try #require(Data(base64Encoded: String(rotated.encoded.dropFirst(6))))
            #expect(
                next.headers["webhook-signature"]
                    == Self.sign(newKey, second.id.rawValue, time, second.body) + " "
                    + Self.sign(key, second.id.rawValue, time, second.body))
        }
    }

    static func sign(_ key: Data, _ id: String, _ timestamp: Int64, _ body: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(
            for: Data("\(id).\(timestamp).\(body)".utf8), using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }

    @Test func retriesOn500WithBackoffThenDelivers() async throws {
        // A base well above the loop's own overhead (tens of ms), so the bounds prove the wait.
        var configuration = WebhookHarness.configuration
        configuration.retry = RetrySchedule(base: .milliseconds(200), cap: .milliseconds(800), maxAttempts: 4)
        try await WebhookHarness.with(dispatching: configuration) { harness in
            let subscription = try await harness.subscribe("/fail/2/a")
            try await harness.enqueue("retried")
            try await harness.wait("delivery") {
                try await harness.deliveries(subscription).first?.status == "delivered"
            }
            let times = harness.receiver.arrivals("/fail/2/a").map(\.at)
            #expect(times.count == 3)
            // Equal jitter never waits less than d/2: 100 ms after attempt 1, 200 ms after attempt 2.
            #expect(times[1] - times[0] >= .milliseconds(100))
            #expect(times[2] - times[1] >= .milliseconds(200))
            let attempts = try await harness.attempts(subscription)
            #expect(attempts.map(\.status) == [500, 500, 200])
            #expect(attempts.map(\.error) == ["http_status", "http_status", nil])
            #expect(try await harness.deliveries(subscription).map(\.attempts) == [3])
        }
    }

    @Test func timeoutIsRetried() async throws {
        // A 1 s deadline: the first answer never comes; the next comes at once, though a loaded CI machine
        // may still run past the deadline now and then, so extra timeouts before the success are allowed.
        try await WebhookHarness.with(dispatching: WebhookHarness.timed(.seconds(1))) { harness in
            let subscription = try await harness.subscribe("/slow/1/a")
            try await harness.enqueue("slow")
            try await harness.wait("delivery") {
                try await harness.deliveries(subscription).first?.status == "delivered"
            }
            let attempts = try await harness.attempts(subscription)
            #expect(attempts.count >= 2 && attempts.last?.status == 200 && attempts.last?.error == nil)
            #expect(attempts.dropLast().allSatisfy { $0.status == nil && $0.error == "timeout" }, "\(attempts)")
            #expect(attempts[0].ms >= 900 && attempts[0].ms < 5000, "cut at the 1 s timeout")
            let times = harness.receiver.arrivals("/slow/1/a").map(\.at)
            // The 1 s deadline plus a backoff, less the few ms the first request took to arrive.
            #expect(times.count == attempts.count && times[1] - times[0] >= .milliseconds(950))
        }
    }

    @Test func clientErrorIsDeadAtOnce() async throws {
        try await WebhookHarness.with { harness in
            let subscription = try await harness.subscribe("/status/400")
            try await harness.enqueue("rejected")
            try await harness.wait("dead") { try await harness.deliveries(subscription).first?.status == "dead" }
            try await Task.sleep(for: .milliseconds(300))  // longer than any retry delay would be
            #expect(harness.receiver.arrivals("/status/400").count == 1)
            #expect(try await harness.attempts(subscription).map(\.status) == [400])
        }
    }

    @Test func deadLetterAfterMaxAttempts() async throws {
        try await WebhookHarness.with { harness in
            let subscription = try await harness.subscribe("/fail/99/a")
            try await harness.enqueue("exhausted")
            try await harness.wait("dead") { try await harness.deliveries(subscription).first?.status == "dead" }
            #expect(try await harness.deliveries(subscription).map(\.attempts) == [4])
            let attempts = try await harness.attempts(subscription)
            #expect(attempts.map(\.status) == [500, 500, 500, 500])
            #expect(attempts.allSatisfy { $0.error == "http_status" })
            try await Task.sleep(for: .milliseconds(300))
            #expect(harness.receiver.arrivals("/fail/99/a").count == 4)
        }
    }

    @Test func goneDisablesSubscription() async throws {
        try await WebhookHarness.with { harness in
            let subscription = try await harness.subscribe("/gone")
            try await harness.enqueue("gone")
            try await harness.wait("dead") { try await harness.deliveries(subscription).first?.status == "dead" }
            let listed = try await harness.store.list()
            #expect(listed.map(\.status) == [.disabled])
            let audit = try await harness.database.pool.query(
                "SELECT actor FROM audit.log WHERE action = 'subscription.disable'"
            ).map { try $0.decode(String.self) }
            #expect(audit == ["service:notify"])
            #expect(
                try await harness.store.enqueue(
                    eventID: .derive(namespace: "t", parts: ["later"]), body: "{}", severity: .high, rule: "r",
                    action: .raised) == 0)
        }
    }
}
