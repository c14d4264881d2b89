import Foundation
import VigilModelCore
import VigilPostgres

/// A delivery the dispatcher holds a lease on, with what it needs to send it.
struct ClaimedDelivery: Sendable {
    var id: Int64
    var subscriptionID: UUID
    var eventID: String
    /// Attempts made before this one.
    var attempts: Int
    var url: String
    var secretSealed: [UInt8]
    var previousSecretSealed: [UInt8]?
    var previousValidUntil: Date?
    var body: String
}

/// The dispatcher's SQL: claim due deliveries with a lease, and record attempts (`DeliveryQueue+Record`).
struct DeliveryQueue: Sendable {
    let pool: PostgresPool

    /// Claims due deliveries of active subscriptions whose breaker is not open: per subscription at most
    /// `perSubscription` (one while half-open) minus what `busy` says this process has in flight for it, and
    /// `limit` in all. Rows another claimer holds are skipped, not waited for.
    func claim(busy: [UUID: Int], perSubscription: Int, limit: Int, lease: Duration) async throws
        -> [ClaimedDelivery]
    {
        let busyIDs = PostgresTextArray(busy.keys.map { $0.uuidString.lowercased() })
        let busyCounts = PostgresTextArray(busy.keys.map { String(busy[$0]!) })
        let rows = try await pool.query(
            """
            WITH slots AS (
                SELECT s.id, (CASE WHEN s.breaker_open_until IS NULL THEN \(perSubscription) ELSE 1 END)
                             - COALESCE(b.n, 0) AS free
                FROM notify.subscriptions s
                LEFT JOIN unnest(\(busyIDs)::uuid[], \(busyCounts)::int[]) AS b (id, n) ON b.id = s.id
                WHERE s.status = 'active' AND (s.breaker_open_until IS NULL OR s.breaker_open_until <= now())
            ), picked AS (
                SELECT p.id FROM slots CROSS JOIN LATERAL (
                    SELECT d.id FROM notify.deliveries d
                    WHERE d.subscription_id = slots.id AND d.status = 'pending' AND d.due_at <= now()
                      AND (d.lease_until IS NULL OR d.lease_until <= now())
                    ORDER BY d.due_at, d.id
                    LIMIT GREATEST(slots.free, 0)
                    FOR UPDATE OF d SKIP LOCKED
                ) p
                LIMIT \(limit)
            )
            UPDATE notify.deliveries d SET lease_until = now() + \(lease.seconds) * interval '1 second'
            FROM picked, notify.subscriptions s, notify.webhook_events e
            WHERE d.id = picked.id AND s.id = d.subscription_id AND e.event_id = d.event_id
            RETURNING d.id, d.subscription_id, d.event_id, d.attempts, s.url, s.secret_sealed,
                      s.previous_secret_sealed, s.previous_valid_until, e.body
            """)
        return try rows.map { row in
            let (id, subscription, event, attempts, url) = try row.decode((Int64, UUID, String, Int, String).self)
            return ClaimedDelivery(
                id: id, subscriptionID: subscription, eventID: event, attempts: attempts, url: url,
                secretSealed: try row.decode([UInt8].self, at: 5),
                previousSecretSealed: try row.decode([UInt8]?.self, at: 6),
                previousValidUntil: try row.decode(Date?.self, at: 7), body: try row.decode(String.self, at: 8))
        }
    }
}
