import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import VigilPostgres

/// Sends queued webhook deliveries (docs/design/notification.md §5). Each loop claims due deliveries with a
/// lease and sends each in its own child task, at most `perSubscription` in flight per subscription and
/// `total` in all, so a slow or failing receiver fills only its own slots. Every attempt is recorded.
///
/// On graceful shutdown it stops claiming and lets attempts in flight finish (each is bounded by `timeout`);
/// an attempt cut off by cancellation is not recorded, and its lease lets it be sent again later.
public struct WebhookDispatcher: Service {
    let queue: DeliveryQueue
    let sealer: SecretSealer
    let configuration: WebhookDispatcherConfiguration
    let logger: Logger

    public init(
        pool: PostgresPool, sealer: SecretSealer, configuration: WebhookDispatcherConfiguration = .init(),
        logger: Logger
    ) {
        self.queue = DeliveryQueue(pool: pool)
        self.sealer = sealer
        self.configuration = configuration
        self.logger = logger
    }

    public func run() async throws {
        let http = HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: clientConfiguration)
        await dispatch(http)
        try await http.shutdown()
    }

    var clientConfiguration: HTTPClient.Configuration {
        var settings = HTTPClient.Configuration()
        // A redirect could carry a signed alert to a host nobody subscribed.
        settings.redirectConfiguration = .disallow
        settings.timeout = .init(
            connect: TimeAmount(configuration.connectTimeout), read: TimeAmount(configuration.timeout))
        settings.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = configuration.total
        return settings
    }

    private func dispatch(_ http: HTTPClient) async {
        let inFlight = InFlight()
        let freed = SlotSignal()
        await withDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let free = configuration.total - inFlight.total
                if free > 0 {
                    do {
                        let claimed = try await queue.claim(
                            busy: inFlight.counts, perSubscription: configuration.perSubscription, limit: free,
                            lease: configuration.lease)
                        for delivery in claimed {
                            inFlight.add(delivery.subscriptionID)
                            group.addTask {
                                await attempt(delivery, http: http)
                                inFlight.remove(delivery.subscriptionID)
                                freed.signal()
                            }
                        }
                    } catch {
                        logger.warning("webhook claim failed", metadata: ["error": "\(error)"])
                    }
                }
                // A freed slot means a receiver answered: claim again at once rather than after the poll interval.
                await freed.wait(upTo: configuration.pollInterval)
            }
        }
    }
}

/// Wakes the claim loop when an attempt finishes, or after at most the poll interval. One waiter (the claim
/// loop); a signal with no waiter is kept for the next wait.
final class SlotSignal: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    func wait(upTo limit: Duration) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.pending {
                    state.pending = false
                    return true
                }
                state.waiter = continuation
                return false
            }
            if now { return continuation.resume() }
            // The timeout: at worst it wakes a later wait early, which only claims once more.
            Task {
                try? await Task.sleep(for: limit)
                let waiter = self.state.withLock { state -> CheckedContinuation<Void, Never>? in
                    defer { state.waiter = nil }
                    return state.waiter
                }
                waiter?.resume()
            }
        }
    }
}

/// Deliveries in flight per subscription in this process, so a claim leaves a busy subscription's slots alone.
final class InFlight: Sendable {
    private let state = Mutex<[UUID: Int]>([:])

    var counts: [UUID: Int] { state.withLock { $0 } }
    var total: Int { state.withLock { $0.values.reduce(0, +) } }

    func add(_ subscription: UUID) { state.withLock { $0[subscription, default: 0] += 1 } }

    func remove(_ subscription: UUID) {
        state.withLock { counts in
            let left = (counts[subscription] ?? 1) - 1
            counts[subscription] = left > 0 ? left : nil
        }
    }
}
