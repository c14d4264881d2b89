import Foundation
import Logging
import Notification
import ServiceLifecycle
import Synchronization
import VigilModelCore
import VigilPostgres
import VigilRuntime

/// A fresh migrated database, a local receiver, a subscription store and (optionally) a running dispatcher
/// whose log lines are captured.
struct WebhookHarness {
    let database: TestDatabase
    let sealer: SecretSealer
    let store: SubscriptionStore
    let receiver: WebhookReceiver
    let port: Int
    let logs: LogLines

    /// Base 50 ms, cap 400 ms, 4 attempts, as in the design note's tests. Attempts may take 2 s: on a loaded CI
    /// machine a 300 ms deadline cut ordinary answers short; the timeout test sets its own.
    static let configuration = timed(.seconds(2))

    static func timed(_ timeout: Duration) -> WebhookDispatcherConfiguration {
        WebhookDispatcherConfiguration(
            retry: RetrySchedule(base: .milliseconds(50), cap: .milliseconds(400), maxAttempts: 4),
            breaker: CircuitBreaker.Policy(threshold: 5, openFor: .milliseconds(200), maxOpen: .milliseconds(400)),
            timeout: timeout, lease: .seconds(5), pollInterval: .milliseconds(10), allowInsecureLoopback: true)
    }

    static func with(
        dispatching configuration: WebhookDispatcherConfiguration? = Self.configuration,
        _ body: (WebhookHarness) async throws -> Void
    ) async throws {
        try await TestDatabase.withFresh(poolSize: 6, migrated: true) { database in
            try await WebhookReceiver.with { receiver, port in
                let sealer = try SecretSealer(key: (0..<32).map { _ in UInt8.random(in: 0...255) })
                let logs = LogLines()
                let harness = WebhookHarness(
                    database: database, sealer: sealer,
                    store: SubscriptionStore(pool: database.pool, sealer: sealer, allowInsecureLoopback: true),
                    receiver: receiver, port: port, logs: logs)
                guard let configuration else { return try await body(harness) }
                try await harness.dispatching(configuration) { try await body(harness) }
            }
        }
    }

    /// Runs a dispatcher while `body` runs, then shuts it down gracefully and waits for it.
    func dispatching(
        _ configuration: WebhookDispatcherConfiguration = Self.configuration, _ body: () async throws -> Void
    ) async throws {
        let dispatcher = WebhookDispatcher(
            pool: database.pool, sealer: sealer, configuration: configuration, logger: logs.logger)
        let group = ServiceGroup(configuration: .init(services: [.init(service: dispatcher)], logger: logs.logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var failure: (any Error)?
            do { try await body() } catch { failure = error }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            if let failure { throw failure }
        }
    }

    func subscribe(_ path: String, filter: SubscriptionFilter = SubscriptionFilter()) async throws -> NewSubscription {
        try await store.create(
            name: "test \(path)", url: "http://127.0.0.1:\(port)\(path)", filter: filter, owner: "integration:test",
            actor: "user:tester")
    }

    /// Queues a structured-mode CloudEvent; returns its id and body.
    @discardableResult
    func enqueue(
        _ name: String, severity: AlertEvent.Severity = .high, rule: String = "news2.review",
        action: AlertEvent.Action = .raised
    ) async throws -> (id: EventID, body: String) {
        let id = EventID.derive(namespace: "alert-event", parts: [name, UUID().uuidString])
        let body = """
            {"data":{"action":"\(action.rawValue)","rule":"\(rule)","severity":"\(severity.rawValue)"},\
            "id":"\(id.rawValue)","source":"urn:vigil:notify","specversion":"1.0",\
            "type":"org.vigil.alert.\(action.rawValue)"}
            """
        try await store.enqueue(eventID: id, body: body, severity: severity, rule: rule, action: action)
        return (id, body)
    }

    /// (status, attempts) of each of a subscription's deliveries, oldest first.
    func deliveries(_ subscription: NewSubscription) async throws -> [(status: String, attempts: Int)] {
        let id = subscription.subscription.id
        return try await database.pool.query(
            "SELECT status, attempts FROM notify.deliveries WHERE subscription_id = \(id) ORDER BY id"
        ).map { try $0.decode((String, Int).self) }
    }

    /// (http status, error class, duration ms) of every attempt at a subscription's deliveries, in order.
    func attempts(_ subscription: NewSubscription) async throws -> [(status: Int?, error: String?, ms: Int)] {
        let id = subscription.subscription.id
        return try await database.pool.query(
            """
            SELECT a.http_status, a.error_class, a.duration_ms FROM notify.delivery_attempts a
            JOIN notify.deliveries d ON d.id = a.delivery_id WHERE d.subscription_id = \(id)
            ORDER BY a.delivery_id, a.attempt
            """
        ).map { try $0.decode((Int?, String?, Int).self) }
    }

    func breakerOpenUntil(_ subscription: NewSubscription) async throws -> Date? {
        let id = subscription.subscription.id
        return try await database.pool.query(
            "SELECT breaker_open_until FROM notify.subscriptions WHERE id = \(id)"
        ).first?.decode(Date?.self) ?? nil
    }

    /// Polls until `condition` holds; fails after `limit`.
    func wait(
        _ what: String, limit: Duration = .seconds(60), until condition: () async throws -> Bool
    ) async throws {
        let start = ContinuousClock.now
        while try await !condition() {
            guard ContinuousClock.now - start < limit else { throw HarnessTimeout(what: what) }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    struct HarnessTimeout: Error, CustomStringConvertible {
        var what: String
        var description: String { "timed out waiting for \(what)" }
    }
}

/// Log lines as JSON text, to check what never appears in them.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var text: String { lines.withLock { $0.joined() } }

    var logger: Logger {
        let output = LogOutput { line in self.lines.withLock { $0.append(line) } }
        var logger = Logger(label: "vigil.test.webhooks") { JSONLogHandler(label: $0, output: output) }
        logger.logLevel = .trace
        return logger
    }
}
