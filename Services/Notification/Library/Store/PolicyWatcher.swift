import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import VigilAudit
import VigilModelCore
import VigilRuntime

/// Keeps the engine on the alert policy in force, without a restart: every `interval` it reads the current
/// version (`PolicyVersionStore.current`) or, with none, the configured `fallback` (file or built-in), and when
/// its hash differs from the engine's it records the policy in `notify.policies`, audits `policy.activate` and
/// swaps the engine. Proposed, rejected, rolled-back and not-yet-effective versions are never current, so they
/// never apply. Each notify instance runs one and swaps on its own.
public final class PolicyWatcher: Service, Sendable {
    public static let defaultInterval: Duration = .seconds(5)

    struct State {
        /// The version in force in this process; nil: the configured policy.
        var active: Int?
        /// The version whose YAML last failed to load, so that is logged once rather than every interval.
        var unusable: Int?
    }

    let store: AlertStore
    let versions: PolicyVersionStore
    let fallback: AlertPolicy
    let interval: Duration
    let logger: Logger
    private let state = Mutex(State())

    public init(store: AlertStore, fallback: AlertPolicy, interval: Duration = defaultInterval, logger: Logger) {
        self.store = store
        versions = PolicyVersionStore(pool: store.pool)
        self.fallback = fallback
        self.interval = interval
        self.logger = logger
    }

    /// The version in force in this process (nil: the configured policy).
    public var activeVersion: Int? { state.withLock { $0.active } }

    public func run() async throws {
        await PeriodicPass.run(every: self.interval, logger: logger, failure: "policy watcher failed; retrying") {
            try await refresh()
        }
    }

    /// Brings the engine to the policy in force at `now`; true when it changed. Run once before the consumers
    /// start, so a restart decides nothing under the file policy while a version is current.
    @discardableResult
    public func refresh(now: Date = Date()) async throws -> Bool {
        let current = try await versions.current(at: now)
        var policy = fallback
        if let current {
            guard let loaded = load(current) else { return false }
            policy = loaded
        }
        state.withLock { $0.active = current?.version }
        Gauge(label: "vigil_notify_policy_version").record(current?.version ?? 0)
        let previous = store.engine.policyHash
        guard policy.hash != previous else { return false }
        try await store.pool.withTransaction { connection in
            _ = try await connection.execute(
                """
                INSERT INTO notify.policies (hash, name, version) VALUES (\(policy.hash), \(policy.name), \(policy.version))
                ON CONFLICT (hash) DO NOTHING
                """)
            var details = [
                "hash": policy.hash, "previousHash": previous, "source": current == nil ? "configured" : "version",
            ]
            details["version"] = current.map { String($0.version) }
            try await AuditLog.append(
                using: connection, actor: "service:notify", action: "policy.activate",
                subject: "policy:\(policy.name)@\(policy.version)", details: details)
        }
        store.activate(policy)
        logger.notice(
            "alert policy activated",
            metadata: [
                "policy.hash": "\(policy.hash)", "policy.previous_hash": "\(previous)",
                "policy.version": "\(current.map { String($0.version) } ?? "configured")",
            ])
        return true
    }

    /// The version's policy if its YAML still loads to the hash that was approved. Otherwise (a loader changed
    /// by an upgrade) the engine keeps what it runs: only what two people approved may apply.
    private func load(_ version: PolicyVersion) -> AlertPolicy? {
        var problem = "its hash differs from the approved one"
        do throws(AlertPolicyError) {
            let policy = try AlertPolicyLoader.parse(version.yaml ?? "", source: "version \(version.version)")
            if policy.hash == version.hash {
                state.withLock { $0.unusable = nil }
                return policy
            }
        } catch {
            problem = error.reason
        }
        let first = state.withLock { state in
            defer { state.unusable = version.version }
            return state.unusable != version.version
        }
        if first {
            logger.error(
                "the current policy version does not load; the engine keeps its policy",
                metadata: ["policy.version": "\(version.version)", "error.reason": "\(problem)"])
        }
        return nil
    }
}
