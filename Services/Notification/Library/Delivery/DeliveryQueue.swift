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
    /// `lease_until` as the server wrote it, so a release touches only a lease that is still ours.
    var lease: String
    /// When the lease ends by our clock (measured from before the claim, so never late).
    var expires: ContinuousClock.Instant
}

/// The dispatcher's SQL: claim due deliveries with a lease, hand back unsent ones, and record attempts
/// (`DeliveryQueue+Record`).
struct DeliveryQueue: Sendable {
    let pool: PostgresPool

    /// How many deliveries of one subscription a claim asks for, and how many this process has of it (waiting,
    /// sending or unrecorded), which a half-open breaker needs.
    struct Want: Sendable, Hashable {
        var subscription: UUID
        var count: Int
        var busy: Int
    }

    /// Claims due deliveries of active subscriptions whose breaker is not open: per subscription what `wants`
    /// asks for (`fresh` for one not listed), one while half-open and nothing busy, and `limit` in all, taken
    /// round robin so one subscription's backlog does not crowd out another's. Rows another claimer holds are
    /// skipped, not waited for.
    func claim(wants: [Want], fresh: Int, limit: Int, lease: Duration) async throws -> [ClaimedDelivery] {
        let expires = ContinuousClock.now + lease
        let ids = PostgresTextArray(wants.map { $0.subscription.uuidString.lowercased() })
        let counts = PostgresTextArray(wants.map { String($0.count) })
        let busy = PostgresTextArray(wants.map { String($0.busy) })
        let rows = try await pool.query(
            """
            WITH wants AS (
                SELECT * FROM unnest(\(ids)::uuid[], \(counts)::int[], \(busy)::int[]) AS w (id, n, busy)
            ), slots AS (
                SELECT s.id, CASE WHEN s.breaker_open_until IS NULL THEN COALESCE(w.n, \(fresh))
                                  ELSE LEAST(COALESCE(w.n, \(fresh)), 1 - COALESCE(w.busy, 0)) END AS free
                FROM notify.subscriptions s LEFT JOIN wants w ON w.id = s.id
                WHERE s.status = 'active' AND (s.breaker_open_until IS NULL OR s.breaker_open_until <= now())
            ), picked AS (
                SELECT p.id, row_number() OVER (PARTITION BY slots.id ORDER BY p.due_at, p.id) AS turn
                FROM slots CROSS JOIN LATERAL (
                    SELECT d.id, d.due_at FROM notify.deliveries d
                    WHERE d.subscription_id = slots.id AND d.status = 'pending' AND d.due_at <= now()
                      AND (d.lease_until IS NULL OR d.lease_until <= now())
                    ORDER BY d.due_at, d.id
                    LIMIT GREATEST(slots.free, 0)
                    FOR UPDATE OF d SKIP LOCKED
                ) p
            ), chosen AS (
                SELECT id FROM picked ORDER BY turn, id LIMIT \(limit)
            )
            UPDATE notify.deliveries d SET lease_until = now() + \(lease.seconds) * interval '1 second'
            FROM chosen, notify.subscriptions s, notify.webhook_events e
            WHERE d.id = chosen.id AND s.id = d.subscription_id AND e.event_id = d.event_id
            RETURNING d.id, d.subscription_id, d.event_id, d.attempts, s.url, s.secret_sealed,
                      s.previous_secret_sealed, s.previous_valid_until, e.body, d.lease_until::text
            """)
        return try rows.map { row in
            let (id, subscription, event, attempts, url) = try row.decode((Int64, UUID, String, Int, String).self)
            return ClaimedDelivery(
                id: id, subscriptionID: subscription, eventID: event, attempts: attempts, url: url,
                secretSealed: try row.decode([UInt8].self, at: 5),
                previousSecretSealed: try row.decode([UInt8]?.self, at: 6),
                previousValidUntil: try row.decode(Date?.self, at: 7), body: try row.decode(String.self, at: 8),
                lease: try row.decode(String.self, at: 9), expires: expires)
        }
    }

    /// Ends the leases of claimed deliveries that will not be sent (shutdown, an opened breaker, a lease too
    /// short to finish an attempt), so any claimer may take them now rather than when the lease runs out. A
    /// lease that is no longer ours is left alone.
    func release(_ deliveries: [ClaimedDelivery]) async throws {
        guard !deliveries.isEmpty else { return }
        let ids = PostgresTextArray(deliveries.map { String($0.id) })
        let leases = PostgresTextArray(deliveries.map(\.lease))
        try await pool.execute(
            """
            UPDATE notify.deliveries d SET lease_until = NULL
            FROM unnest(\(ids)::bigint[], \(leases)::timestamptz[]) AS r (id, lease_until)
            WHERE d.id = r.id AND d.lease_until = r.lease_until AND d.status = 'pending'
            """)
    }
}
