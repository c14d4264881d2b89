import Foundation
import VigilAudit
import VigilPostgres

/// Webhook subscriptions in `notify.subscriptions`. Secrets are generated here, sealed before they are
/// stored and returned only by `create` and `rotateSecret`. Changes are audited in the same transaction.
public struct SubscriptionStore: Sendable {
    public let pool: PostgresPool
    let sealer: SecretSealer
    let allowInsecureLoopback: Bool

    public init(pool: PostgresPool, sealer: SecretSealer, allowInsecureLoopback: Bool = false) {
        self.pool = pool
        self.sealer = sealer
        self.allowInsecureLoopback = allowInsecureLoopback
    }

    /// Creates an active subscription with a new secret. `actor` is who asked (`user:<id>`), stored as created_by.
    public func create(
        name: String, url: String, filter: SubscriptionFilter = SubscriptionFilter(), owner: String, actor: String
    ) async throws -> NewSubscription {
        try WebhookURLPolicy.check(url, allowInsecureLoopback: allowInsecureLoopback)
        let id = UUID()
        let secret = WebhookSecret.generate()
        let sealed = try sealer.seal(secret, subscription: id)
        let subscription = try await pool.withTransaction { connection in
            let rows = try await connection.query(
                """
                INSERT INTO notify.subscriptions (id, name, url, secret_sealed, filter, owner, created_by)
                VALUES (\(id), \(name), \(url), \(sealed), \(filter.json)::jsonb, \(owner), \(actor))
                RETURNING \(unescaped: Self.columns)
                """)
            try await AuditLog.append(
                using: connection, actor: actor, action: "subscription.create", subject: "subscription:\(id)",
                details: ["owner": owner])
            return try Self.subscription(rows[0])
        }
        return NewSubscription(subscription: subscription, secret: secret)
    }

    /// All subscriptions (or one owner's), oldest first, without secrets.
    public func list(owner: String? = nil) async throws -> [Subscription] {
        let rows = try await pool.query(
            """
            SELECT \(unescaped: Self.columns) FROM notify.subscriptions
            WHERE \(owner)::text IS NULL OR owner = \(owner) ORDER BY created_at, id
            """)
        return try rows.map(Self.subscription)
    }

    /// Stops deliveries to a subscription; pending ones stay pending. False if it was not active.
    @discardableResult
    public func disable(id: UUID, actor: String, reason: String? = nil) async throws -> Bool {
        try await pool.withTransaction { connection in
            try await Self.disable(using: connection, id: id, actor: actor, reason: reason)
        }
    }

    @discardableResult
    static func disable(using connection: PostgresConnection, id: UUID, actor: String, reason: String?) async throws
        -> Bool
    {
        let changed = try await connection.execute(
            "UPDATE notify.subscriptions SET status = 'disabled' WHERE id = \(id) AND status = 'active'")
        guard changed > 0 else { return false }
        try await AuditLog.append(
            using: connection, actor: actor, action: "subscription.disable", subject: "subscription:\(id)",
            reason: reason)
        return true
    }

    /// Replaces the secret and returns the new one. The old one keeps signing (as a second signature) for
    /// `previousValidFor`, so receivers can switch without dropping deliveries; a secret replaced earlier is
    /// forgotten.
    public func rotateSecret(id: UUID, actor: String, previousValidFor: Duration = .seconds(86_400)) async throws
        -> WebhookSecret
    {
        let secret = WebhookSecret.generate()
        let sealed = try sealer.seal(secret, subscription: id)
        let seconds = Double(previousValidFor.components.seconds)
        try await pool.withTransaction { connection in
            let changed = try await connection.execute(
                """
                UPDATE notify.subscriptions SET previous_secret_sealed = secret_sealed, secret_sealed = \(sealed),
                    previous_valid_until = now() + \(seconds) * interval '1 second'
                WHERE id = \(id)
                """)
            guard changed > 0 else { throw WebhookError(.notFound, "no such subscription") }
            try await AuditLog.append(
                using: connection, actor: actor, action: "subscription.rotate", subject: "subscription:\(id)",
                details: ["previousValidForSeconds": String(Int(seconds))])
        }
        return secret
    }

    static let columns = """
        id, name, url, filter::text, owner, status, consecutive_failures, breaker_open_until, \
        previous_valid_until, created_by, created_at
        """

    static func subscription(_ row: PostgresRow) throws -> Subscription {
        let (id, name, url, filter, owner, status) = try row.decode((UUID, String, String, String, String, String).self)
        guard let status = Subscription.Status(rawValue: status) else {
            throw PostgresError(code: .decoding, message: "unknown subscription status", column: "status")
        }
        return Subscription(
            id: id, name: name, url: url,
            filter: try JSONDecoder().decode(SubscriptionFilter.self, from: Data(filter.utf8)),
            owner: owner, status: status, consecutiveFailures: try row.decode(Int.self, at: 6),
            breakerOpenUntil: try row.decode(Date?.self, at: 7),
            previousSecretValidUntil: try row.decode(Date?.self, at: 8),
            createdBy: try row.decode(String.self, at: 9), createdAt: try row.decode(Date.self, at: 10))
    }
}
