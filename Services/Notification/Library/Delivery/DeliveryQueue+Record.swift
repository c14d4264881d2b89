import Foundation
import VigilModelCore
import VigilPostgres

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

    /// In one transaction: the attempt row, the delivery's new state, the subscription's breaker, and on 410 the
    /// subscription disabled and audited. Nil if the lease was lost (another claimer already recorded it).
    func record(
        _ delivery: ClaimedDelivery, outcome: AttemptOutcome, startedAt: Date, duration: Duration,
        retry: RetrySchedule, breakerPolicy: CircuitBreaker.Policy
    ) async throws -> Recorded? {
        try await pool.withTransaction { connection in
            let rows = try await connection.query(
                """
                SELECT consecutive_failures, breaker_open_until, breaker_opens, now() FROM notify.subscriptions
                WHERE id = \(delivery.subscriptionID) FOR UPDATE
                """)
            guard let row = rows.first else { return nil }
            let (failures, openUntil, opens, now) = try row.decode((Int, Date?, Int, Date).self)
            let attempt = delivery.attempts + 1
            let disposition = Self.disposition(outcome, attempt: attempt, retry: retry)
            var breaker = CircuitBreaker(failures: failures, openUntil: openUntil, opens: opens)
            let action = breaker.record(failure: outcome.verdict == .retry, at: now, policy: breakerPolicy)

            let (status, due): (String, Date) =
                switch disposition {
                case .delivered: ("delivered", now)
                case .dead, .gone: ("dead", now)
                case .retry(let after): ("pending", now.addingTimeInterval(after.seconds))
                }
            let deliveredAt: Date? = disposition == .delivered ? now : nil
            let changed = try await connection.execute(
                """
                UPDATE notify.deliveries SET attempts = \(attempt), status = \(status), due_at = \(due),
                    lease_until = NULL, last_http_status = \(outcome.httpStatus),
                    last_error_class = \(outcome.errorClass?.rawValue), delivered_at = \(deliveredAt)
                WHERE id = \(delivery.id) AND attempts = \(delivery.attempts) AND status = 'pending'
                """)
            guard changed == 1 else { return nil }
            let milliseconds = Int(duration.nanoseconds / 1_000_000)
            try await connection.execute(
                """
                INSERT INTO notify.delivery_attempts (delivery_id, attempt, started_at, duration_ms, http_status, error_class)
                VALUES (\(delivery.id), \(attempt), \(startedAt), \(milliseconds), \(outcome.httpStatus),
                        \(outcome.errorClass?.rawValue))
                """)
            try await connection.execute(
                """
                UPDATE notify.subscriptions SET consecutive_failures = \(breaker.failures),
                    breaker_open_until = \(breaker.openUntil), breaker_opens = \(breaker.opens)
                WHERE id = \(delivery.subscriptionID)
                """)
            if disposition == .gone {
                try await SubscriptionStore.disable(
                    using: connection, id: delivery.subscriptionID, actor: "service:notify",
                    reason: "the receiver answered 410 Gone")
            }
            return Recorded(attempt: attempt, disposition: disposition, breaker: action)
        }
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
