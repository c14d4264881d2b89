import VigilModelCore
import VigilPostgres

extension SubscriptionStore {
    /// Stores an alert event's webhook body (a structured-mode CloudEvent) and queues one delivery per active
    /// subscription whose filter matches. Idempotent: a replayed event id queues nothing new. Returns how many
    /// deliveries were queued.
    @discardableResult
    public func enqueue(
        eventID: EventID, body: String, severity: AlertEvent.Severity, rule: String, action: AlertEvent.Action
    ) async throws -> Int {
        try await pool.withTransaction { connection in
            try await Self.enqueue(
                using: connection, eventID: eventID, body: body, severity: severity, rule: rule, action: action)
        }
    }

    /// The same on the caller's connection, so the deliveries commit with the alert event that caused them.
    @discardableResult
    public static func enqueue(
        using connection: PostgresConnection, eventID: EventID, body: String, severity: AlertEvent.Severity,
        rule: String, action: AlertEvent.Action
    ) async throws -> Int {
        let id = eventID.rawValue
        try await connection.execute(
            """
            INSERT INTO notify.webhook_events (event_id, body, severity, rule, action)
            VALUES (\(id), \(body), \(severity.rawValue), \(rule), \(action.rawValue))
            ON CONFLICT (event_id) DO NOTHING
            """)
        // A missing or empty list in the filter matches every value.
        return try await connection.execute(
            """
            INSERT INTO notify.deliveries (subscription_id, event_id)
            SELECT s.id, \(id) FROM notify.subscriptions s
            WHERE s.status = 'active'
              AND (jsonb_array_length(COALESCE(s.filter -> 'severities', '[]')) = 0
                   OR s.filter -> 'severities' ? \(severity.rawValue)::text)
              AND (jsonb_array_length(COALESCE(s.filter -> 'rules', '[]')) = 0 OR s.filter -> 'rules' ? \(rule)::text)
              AND (jsonb_array_length(COALESCE(s.filter -> 'actions', '[]')) = 0
                   OR s.filter -> 'actions' ? \(action.rawValue)::text)
            ON CONFLICT (subscription_id, event_id) DO NOTHING
            """)
    }
}
