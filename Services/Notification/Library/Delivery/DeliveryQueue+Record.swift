import Foundation
import VigilModelCore
import VigilPostgres

/// One attempt made, waiting to be recorded.
struct SentAttempt: Sendable {
    var deliveryID: Int64
    var subscriptionID: UUID
    /// Attempts made before this one.
    var priorAttempts: Int
    var outcome: AttemptOutcome
    var startedAt: Date
    var duration: Duration
}

extension DeliveryQueue {
    /// Where a delivery stands after an attempt.
    enum Disposition: Sendable, Hashable {
        case delivered
        case retry(after: Duration)
        /// Rejected, or out of attempts; redelivered only by hand.
        case dead
        /// The receiver answered 410; the subscription is now disabled.
        case gone

        var metricResult: String {
            switch self {
            case .delivered: "delivered"
            case .retry: "retry"
            case .dead: "dead"
            case .gone: "gone"
            }
        }
    }

    struct Recorded: Sendable {
        var attempt: Int
        var disposition: Disposition
        var breaker: CircuitBreaker.Action?
    }

    /// What a batch came to: each recorded attempt by delivery id (one missing lost its lease: another claimer
    /// recorded it first), the subscriptions that must not be sent to now (disabled, or breaker not closed), and
    /// each one's sealed secret as it is now (deliveries claimed before a rotation are claimed again).
    struct Batch: Sendable {
        var recorded: [Int64: Recorded] = [:]
        var stopped: Set<UUID> = []
        var secrets: [UUID: [UInt8]] = [:]
    }

    /// In one transaction: the attempt rows, the deliveries' new states, each subscription's breaker, and on 410
    /// the subscription disabled and audited. A handful of statements however many attempts: one per attempt
    /// made the subscription's row lock the limit on throughput. Delivery ids must be distinct.
    func record(_ attempts: [SentAttempt], retry: RetrySchedule, breakerPolicy: CircuitBreaker.Policy) async throws
        -> Batch
    {
        guard !attempts.isEmpty else { return Batch() }
        return try await pool.withTransaction { connection in
            // Locked in id order, so two dispatchers never deadlock; NO KEY lets enqueues (foreign keys) through.
            let subscriptionIDs = Set(attempts.map(\.subscriptionID)).map { $0.uuidString.lowercased() }
            let rows = try await connection.query(
                """
                SELECT id, status, consecutive_failures, breaker_open_until, breaker_opens, now(), secret_sealed
                FROM notify.subscriptions WHERE id = ANY(\(PostgresTextArray(subscriptionIDs))::uuid[])
                ORDER BY id FOR NO KEY UPDATE
                """)
            var before: [UUID: CircuitBreaker] = [:]
            var batch = Batch()
            var now = Date()
            for row in rows {
                let (id, status, failures, openUntil, opens, time) = try row.decode(
                    (UUID, String, Int, Date?, Int, Date).self)
                before[id] = CircuitBreaker(failures: failures, openUntil: openUntil, opens: opens)
                if status != "active" { batch.stopped.insert(id) }
                batch.secrets[id] = try row.decode([UInt8].self, at: 6)
                now = time
            }
            var breakers = before
            let known = attempts.filter { breakers[$0.subscriptionID] != nil }
            let dispositions = known.map { Self.disposition($0.outcome, attempt: $0.priorAttempts + 1, retry: retry) }
            let written = try await Self.write(known, dispositions, using: connection)

            var gone: [UUID] = []
            for (attempt, disposition) in zip(known, dispositions) where written.contains(attempt.deliveryID) {
                let action = breakers[attempt.subscriptionID]!.record(
                    failure: attempt.outcome.verdict == .retry, at: now, policy: breakerPolicy)
                batch.recorded[attempt.deliveryID] = Recorded(
                    attempt: attempt.priorAttempts + 1, disposition: disposition, breaker: action)
                if disposition == .gone { gone.append(attempt.subscriptionID) }
            }
            try await Self.save(breakers, changedFrom: before, using: connection)
            for (id, breaker) in breakers where breaker.openUntil != nil { batch.stopped.insert(id) }
            for id in Set(gone) {
                batch.stopped.insert(id)
                try await SubscriptionStore.disable(
                    using: connection, id: id, actor: "service:notify", reason: "the receiver answered 410 Gone")
            }
            return batch
        }
    }

    /// Updates the deliveries still pending at the attempt count we sent them with, and adds an attempt row for
    /// each of those; returns their ids.
    private static func write(
        _ attempts: [SentAttempt], _ dispositions: [Disposition], using connection: PostgresConnection
    ) async throws -> Set<Int64> {
        guard !attempts.isEmpty else { return [] }
        let states = dispositions.map { disposition -> (String, String?) in
            switch disposition {
            case .delivered: ("delivered", nil)
            case .dead, .gone: ("dead", nil)
            case .retry(let after): ("pending", String(after.nanoseconds / 1_000))
            }
        }
        let ids = PostgresTextArray(attempts.map { String($0.deliveryID) })
        let prior = PostgresTextArray(attempts.map { String($0.priorAttempts) })
        let status = PostgresTextArray(states.map(\.0))
        let delay = PostgresTextArray(states.map(\.1))
        let http = PostgresTextArray(attempts.map { $0.outcome.httpStatus.map { String($0) } })
        let error = PostgresTextArray(attempts.map { $0.outcome.errorClass?.rawValue })
        let started = PostgresTextArray(attempts.map { $0.startedAt.postgresText })
        let milliseconds = PostgresTextArray(attempts.map { String($0.duration.nanoseconds / 1_000_000) })
        let rows = try await connection.query(
            """
            WITH input AS (
                SELECT * FROM unnest(\(ids)::bigint[], \(prior)::int[], \(status)::text[], \(delay)::bigint[],
                                     \(http)::int[], \(error)::text[], \(started)::timestamptz[], \(milliseconds)::int[])
                    AS i (id, prior, status, delay_us, http_status, error_class, started_at, duration_ms)
            ), updated AS (
                UPDATE notify.deliveries d SET attempts = i.prior + 1, status = i.status,
                    due_at = now() + COALESCE(i.delay_us, 0) * interval '1 microsecond', lease_until = NULL,
                    last_http_status = i.http_status, last_error_class = i.error_class,
                    delivered_at = CASE WHEN i.status = 'delivered' THEN now() END
                FROM input i
                WHERE d.id = i.id AND d.attempts = i.prior AND d.status = 'pending'
                RETURNING d.id
            )
            INSERT INTO notify.delivery_attempts (delivery_id, attempt, started_at, duration_ms, http_status, error_class)
            SELECT i.id, i.prior + 1, i.started_at, i.duration_ms, i.http_status, i.error_class
            FROM input i JOIN updated u ON u.id = i.id
            RETURNING delivery_id
            """)
        return Set(try rows.map { try $0.decode(Int64.self, at: 0) })
    }

    /// Writes the breakers that changed, in one statement.
    private static func save(
        _ breakers: [UUID: CircuitBreaker], changedFrom before: [UUID: CircuitBreaker],
        using connection: PostgresConnection
    ) async throws {
        let changed = breakers.filter { before[$0.key] != $0.value }.map { ($0.key, $0.value) }
        guard !changed.isEmpty else { return }
        let ids = PostgresTextArray(changed.map { $0.0.uuidString.lowercased() })
        let failures = PostgresTextArray(changed.map { String($0.1.failures) })
        let until = PostgresTextArray(changed.map { $0.1.openUntil?.postgresText })
        let opens = PostgresTextArray(changed.map { String($0.1.opens) })
        try await connection.execute(
            """
            UPDATE notify.subscriptions s SET consecutive_failures = b.failures, breaker_open_until = b.open_until,
                breaker_opens = b.opens
            FROM unnest(\(ids)::uuid[], \(failures)::int[], \(until)::timestamptz[], \(opens)::int[])
                AS b (id, failures, open_until, opens)
            WHERE s.id = b.id
            """)
    }

    static func disposition(_ outcome: AttemptOutcome, attempt: Int, retry: RetrySchedule) -> Disposition {
        switch outcome.verdict {
        case .delivered: .delivered
        case .gone: .gone
        case .rejected: .dead
        case .retry where retry.isExhausted(attempts: attempt): .dead
        case .retry: .retry(after: retry.delay(afterAttempt: attempt, retryAfter: outcome.retryAfter))
        }
    }
}
