import Foundation
import Notification
import Testing
import VigilPostgres

extension WebhookDeliveryTests {
    /// A delivery leased by a dispatcher that died before recording anything is sent once the lease runs out, not
    /// before, and the dead claim leaves no attempt row.
    @Test func leaseOfADeadDispatcherIsSentAfterItExpires() async throws {
        try await WebhookHarness.with(dispatching: nil) { harness in
            let subscription = try await harness.subscribe("/ok")
            try await harness.enqueue("orphaned")
            // What a claim leaves behind when its dispatcher is killed before the attempt is recorded.
            try await harness.database.pool.execute(
                "UPDATE notify.deliveries SET lease_until = now() + interval '1500 milliseconds'")
            let start = ContinuousClock.now
            try await harness.dispatching {
                try await harness.wait("delivery") {
                    try await harness.deliveries(subscription).first?.status == "delivered"
                }
            }
            let arrivals = harness.receiver.arrivals("/ok")
            #expect(arrivals.count == 1)
            #expect(arrivals.first.map { $0.at - start >= .milliseconds(1000) } == true, "not before the lease ran out")
            #expect(try await harness.attempts(subscription).map(\.status) == [200])
        }
    }

    /// Attempts are recorded in batches: with many deliveries to a receiver that accepts and one that rejects,
    /// each delivery is sent once, gets exactly one attempt row, and ends where the response table says.
    @Test func manyDeliveriesAreEachSentAndRecordedOnce() async throws {
        try await WebhookHarness.with { harness in
            let accepting = try await harness.subscribe("/ok")
            let rejecting = try await harness.subscribe("/status/400")
            try await Self.queue(300, in: harness)
            try await harness.wait("deliveries", limit: .seconds(60)) {
                let all = try await harness.deliveries(accepting) + harness.deliveries(rejecting)
                return all.count == 600 && all.allSatisfy { $0.status != "pending" }
            }
            #expect(try await harness.deliveries(accepting).allSatisfy { $0.status == "delivered" && $0.attempts == 1 })
            #expect(try await harness.deliveries(rejecting).allSatisfy { $0.status == "dead" && $0.attempts == 1 })
            #expect(try await harness.attempts(accepting).map(\.status) == Array(repeating: 200, count: 300))
            #expect(try await harness.attempts(rejecting).map(\.status) == Array(repeating: 400, count: 300))
            let ids = harness.receiver.arrivals("/ok").compactMap { $0.headers["webhook-id"] }
            #expect(ids.count == 300 && Set(ids).count == 300)
        }
    }

    /// A graceful shutdown records every attempt it made and hands back the leases of deliveries it claimed
    /// ahead but did not send, so the next dispatcher need not wait for them to run out.
    @Test func shutdownRecordsWhatWasSentAndReleasesTheRest() async throws {
        try await WebhookHarness.with(dispatching: nil) { harness in
            let subscription = try await harness.subscribe("/ok")
            try await Self.queue(3000, in: harness)
            try await harness.dispatching {
                try await harness.wait("some deliveries", limit: .seconds(30)) {
                    try await harness.database.pool.query(
                        "SELECT count(*)::int FROM notify.deliveries WHERE status = 'delivered'"
                    ).first?.decode(Int.self) ?? 0 >= 300
                }
            }
            let leased = try await harness.database.pool.query(
                "SELECT count(*)::int FROM notify.deliveries WHERE lease_until IS NOT NULL")
            #expect(try leased.first?.decode(Int.self) == 0)
            let delivered = try await harness.deliveries(subscription).filter { $0.status == "delivered" }.count
            #expect(delivered < 3000, "stopped part way, so some were left")
            #expect(try await harness.attempts(subscription).count == delivered)
            #expect(harness.receiver.arrivals("/ok").count == delivered)
        }
    }

    /// Queues `count` events in one statement each (faster than one transaction per event).
    static func queue(_ count: Int, in harness: WebhookHarness) async throws {
        let run = UUID().uuidString
        try await harness.database.pool.withTransaction { connection in
            try await connection.execute(
                """
                INSERT INTO notify.webhook_events (event_id, body, severity, rule, action)
                SELECT \(run)::text || '-' || n, '{"n":' || n || '}', 'high', 'news2.review', 'raised'
                FROM generate_series(1, \(count)) AS n
                """)
            try await connection.execute(
                """
                INSERT INTO notify.deliveries (subscription_id, event_id)
                SELECT s.id, \(run)::text || '-' || n FROM notify.subscriptions s, generate_series(1, \(count)) AS n
                """)
        }
    }
}
