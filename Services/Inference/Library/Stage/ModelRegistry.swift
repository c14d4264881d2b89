import Foundation
import Synchronization
import VigilAudit
import VigilModelCore
import VigilPostgres

/// `infer.models`: which model versions run and how. The scoring path reads statuses through a cache that
/// is at most a second old, so a stop takes effect within a second without a query per event.
public final class ModelRegistry: Sendable {
    let pool: PostgresPool
    let audit: AuditLog
    private let cache = Mutex<(statuses: [String: ModelStatus], loaded: ContinuousClock.Instant?)>(([:], nil))

    public init(pool: PostgresPool, audit: AuditLog) {
        self.pool = pool
        self.audit = audit
    }

    static func key(_ model: ModelReference) -> String { "\(model.id)@\(model.version)" }

    /// Adds a model version if it is not registered yet (its status is then `status`); never changes one.
    public func register(_ model: ModelReference, kind: String, card: String = "", status: ModelStatus) async throws {
        let inserted = try await pool.query(
            """
            INSERT INTO infer.models (id, version, sha256, kind, card, status)
            VALUES (\(model.id), \(model.version), \(model.sha256.hex), \(kind), \(card), \(status.rawValue))
            ON CONFLICT (id, version) DO NOTHING RETURNING id
            """)
        if !inserted.isEmpty {
            _ = try await audit.append(
                actor: "service:infer", action: "model.register", subject: "model:\(Self.key(model))",
                details: ["sha256": model.sha256.hex, "status": status.rawValue])
        }
        invalidate()
    }

    /// Changes a model's status for a named person with a reason; audited. Only holders of the
    /// `model-admin` role (given by the caller's authentication) may do it.
    public func setStatus(
        _ model: ModelReference, to status: ModelStatus, actor: String, roles: Set<String>, reason: String
    ) async throws {
        guard roles.contains("model-admin") else { throw RegistryError("role model-admin required") }
        guard reason.trimmingCharacters(in: .whitespaces).count >= 5 else { throw RegistryError("a reason is required") }
        let changed = try await pool.withTransaction { connection in
            let rows = try await connection.query(
                """
                UPDATE infer.models SET status = \(status.rawValue), changed_at = now()
                WHERE id = \(model.id) AND version = \(model.version) RETURNING id
                """)
            return !rows.isEmpty
        }
        guard changed else { throw RegistryError("unknown model \(Self.key(model))") }
        _ = try await audit.append(
            actor: actor, action: "model.status", subject: "model:\(Self.key(model))", reason: reason,
            details: ["status": status.rawValue])
        invalidate()
    }

    /// The model's status, from a cache at most `maxAge` old; unregistered models count as stopped.
    public func status(of model: ModelReference, maxAge: Duration = .seconds(1)) async throws -> ModelStatus {
        let now = ContinuousClock.now
        let cached = cache.withLock { $0 }
        if let loaded = cached.loaded, now - loaded < maxAge {
            return cached.statuses[Self.key(model)] ?? .stopped
        }
        let rows = try await pool.query("SELECT id, version, status FROM infer.models")
        var statuses: [String: ModelStatus] = [:]
        for row in rows {
            let (id, version, status) = try row.decode((String, String, String).self)
            statuses["\(id)@\(version)"] = ModelStatus(rawValue: status) ?? .stopped
        }
        cache.withLock { $0 = (statuses, now) }
        return statuses[Self.key(model)] ?? .stopped
    }

    func invalidate() { cache.withLock { $0.loaded = nil } }
}

public struct RegistryError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
