import ArgumentParser
import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import NIOCore
import Notification
import ServiceLifecycle
import Synchronization
import VigilModelCore
import VigilPostgres

/// Webhook deliveries per second to a local receiver: the dispatcher (lease from PostgreSQL, sign, POST,
/// record the attempt) against the ceiling of the same signed POSTs sent straight from one HTTP client.
struct WebhookBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Measure signed webhook deliveries per second to a local receiver.")

    @Option(help: "Deliveries.") var count = 2_000
    @Option(help: "PostgreSQL URL (migrated).")
    var pgURL = ProcessInfo.processInfo.environment["VIGIL_PG_URL"] ?? "postgresql://vigil@127.0.0.1:55432/vigil"
    @Option(help: "Folder for the JSON report.") var out = "bench-results"

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let received = Mutex(0)
        let router = Router()
        router.post("/hook") { _, _ in
            received.withLock { $0 += 1 }
            return Response(status: .noContent)
        }
        let port = Mutex(0)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port ?? 0 } }, logger: logger)
        let server = ServiceGroup(services: [app], logger: logger)
        let serverTask = Task { try await server.run() }
        while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let url = "http://127.0.0.1:\(port.withLock { $0 })/hook"
        let body = String(repeating: "x", count: 900)

        // Ceiling: the same POSTs, 4 at a time, from one client with no queue behind them.
        let secret = WebhookSecret.generate()
        let clock = ContinuousClock()
        let direct = try await measure(clock) {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for lane in 0..<4 {
                    group.addTask {
                        for n in stride(from: lane, to: count, by: 4) {
                            var request = HTTPClientRequest(url: url)
                            request.method = .POST
                            for header in WebhookSigner.headers(
                                id: "e\(n)", timestamp: Int64(Date().timeIntervalSince1970), body: Array(body.utf8),
                                secrets: [secret])
                            { request.headers.add(name: header.name, value: header.value) }
                            request.body = .bytes(ByteBuffer(string: body))
                            _ = try await HTTPClient.shared.execute(request, timeout: .seconds(5))
                        }
                    }
                }
                try await group.waitForAll()
            }
        }

        let pool = PostgresPool(configuration: PostgresConfiguration(connectionString: pgURL, poolSize: 6), logger: logger)
        let sealer = try SecretSealer(key: (0..<32).map { _ in UInt8.random(in: 0...255) })
        let subscriptions = SubscriptionStore(pool: pool, sealer: sealer, allowInsecureLoopback: true)
        let subscription = try await subscriptions.create(
            name: "bench-\(UUID().uuidString.prefix(8))", url: url, filter: SubscriptionFilter(), owner: "bench", actor: "bench")
        let run = UUID().uuidString
        for n in 0..<count {
            _ = try await subscriptions.enqueue(
                eventID: EventID.derive(namespace: "bench", parts: [run, String(n)]), body: body, severity: .high,
                rule: "bench", action: .raised)
        }
        // Other subscriptions in a dev database get these too; only this one's deliveries are counted.
        let id = subscription.subscription.id
        let dispatcher = WebhookDispatcher(
            pool: pool, sealer: sealer,
            configuration: WebhookDispatcherConfiguration(pollInterval: .milliseconds(20), allowInsecureLoopback: true),
            logger: logger)
        // Watching costs little: the receiver's count first, and the database (a count over all the
        // subscription's rows) only once every delivery has arrived, to wait for the last ones to be recorded.
        let arrivedBefore = received.withLock { $0 }
        let group = ServiceGroup(services: [dispatcher], logger: logger)
        let dispatching = Task { try await group.run() }
        let queued = try await measure(clock) {
            while received.withLock({ $0 }) - arrivedBefore < count { try await Task.sleep(for: .milliseconds(2)) }
            while true {
                let rows = try await pool.query(
                    "SELECT count(*)::int FROM notify.deliveries WHERE subscription_id = \(id.uuidString) AND status = 'delivered'")
                if try rows.first?.decode(Int.self, at: 0) ?? 0 >= count { break }
                try await Task.sleep(for: .milliseconds(5))
            }
        }
        await group.triggerGracefulShutdown()
        _ = await dispatching.result
        _ = try await subscriptions.disable(id: id, actor: "bench", reason: "bench finished")
        await pool.close()
        await server.triggerGracefulShutdown()
        _ = await serverTask.result

        let report = """
            ## Webhook deliveries (\(count) events, one local receiver)

            | path | deliveries/s |
            |---|---:|
            | signed POSTs straight from one client, 4 in flight (ceiling) | \(Int(Double(count) / direct)) |
            | dispatcher: lease from PostgreSQL, sign, POST, record the attempt | \(Int(Double(count) / queued)) |

            The dispatcher's figure includes leasing from PostgreSQL in batches and recording every attempt (one
            transaction per batch of finished attempts), until the last is recorded as delivered.
            """
        print(report)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try JSONSerialization.data(
            withJSONObject: ["direct_per_s": Double(count) / direct, "dispatcher_per_s": Double(count) / queued],
            options: [.sortedKeys]
        ).write(to: URL(fileURLWithPath: "\(out)/webhooks.json"))
    }

    /// Seconds `body` takes.
    func measure(_ clock: ContinuousClock, _ body: () async throws -> Void) async throws -> Double {
        let start = clock.now
        try await body()
        return (clock.now - start).seconds
    }
}
