import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import VigilPostgres

/// Sends queued webhook deliveries (docs/design/notification.md §5). A claim loop leases due deliveries in
/// batches and hands each subscription's to its own senders, at most `perSubscription` at a time and `total` in
/// all, so a slow or failing receiver fills only its own slots. Senders do not wait for the database: a recorder
/// writes the attempts that finished meanwhile in one transaction. After a failure or a 410 a subscription's
/// senders wait until the breaker has counted it.
///
/// On graceful shutdown it stops claiming, hands back leases it will not use, lets attempts in flight finish
/// (each is bounded by `timeout`) and records them; an attempt cut off by cancellation is not recorded, and its
/// lease lets it be sent again later.
public struct WebhookDispatcher: Service {
    let queue: DeliveryQueue
    let sealer: SecretSealer
    let configuration: WebhookDispatcherConfiguration
    let logger: Logger
    let claims = ClaimSignal()

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

    /// Looks for due deliveries now rather than at the next poll: call it once new deliveries are committed.
    public func wake() { claims.queued() }

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
        let lanes = SharedLanes(DispatchLanes.Limits(configuration))
        let records = RecordQueue()
        await withDiscardingTaskGroup { group in
            group.addTask { await tick(lanes) }
            group.addTask { await recordAll(records, lanes) }
            await withGracefulShutdownHandler {
                var lastClaim = ContinuousClock.now - configuration.pollInterval
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    await claim(lanes, last: &lastClaim)
                    for subscription in lanes.withLock({ $0.start() }) {
                        group.addTask { await sendAll(subscription, lanes, records, http) }
                    }
                    await claims.wakeup.wait()
                }
            } onGracefulShutdown: {
                claims.wake()
            }
            lanes.withLock { $0.stop() }
            records.wakeup.signal()  // the recorder may have nothing left to wait for
            await release(lanes)
        }
    }

    /// Claims what the lanes ask for, and hands back what they will not send. Every claim also looks at
    /// subscriptions without a lane, so a tick queries only if no claim ran for a poll interval.
    private func claim(_ lanes: SharedLanes, last: inout ContinuousClock.Instant) async {
        let (tick, queued) = claims.take()
        let now = ContinuousClock.now
        let look = queued || (tick && now - last >= configuration.pollInterval)
        if let wants = lanes.withLock({ $0.wants(at: now, retry: tick || queued, look: look) }) {
            last = now
            do {
                let claimed = try await queue.claim(
                    wants: wants, fresh: configuration.perSubscription, limit: configuration.claimLimit,
                    lease: configuration.lease)
                lanes.withLock { $0.claimed(claimed, wants: wants, fresh: configuration.perSubscription) }
            } catch {
                logger.warning("webhook claim failed", metadata: ["error": "\(error)"])
            }
        }
        await release(lanes)
    }

    private func release(_ lanes: SharedLanes) async {
        let unsent = lanes.withLock { $0.takeUnsent() }
        guard !unsent.isEmpty else { return }
        do {
            try await queue.release(unsent)
        } catch {
            // Their leases run out by themselves.
            logger.warning("webhook leases not released", metadata: ["error": "\(error)"])
        }
    }

    /// One sender: sends the lane's deliveries one after another until it has none it may send.
    private func sendAll(_ subscription: UUID, _ lanes: SharedLanes, _ records: RecordQueue, _ http: HTTPClient) async {
        while !Task.isCancelled,
            case .send(let delivery, let refill) = lanes.withLock({ $0.next(subscription, at: ContinuousClock.now) })
        {
            if refill { claims.wake() }
            guard let attempt = await attempt(delivery, http: http) else { continue }
            lanes.withLock { $0.sent(subscription, attempt.outcome, at: ContinuousClock.now) }
            records.add(attempt)
        }
        lanes.withLock { $0.ended(subscription) }
        claims.wake()  // a slot is free, or what waits needs releasing
        records.wakeup.signal()  // the recorder may be waiting for the last sender
    }

    /// Polls every interval until the dispatcher stops.
    private func tick(_ lanes: SharedLanes) async {
        while !lanes.withLock({ $0.stopping }) {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: configuration.pollInterval) }
            } catch {
                claims.wake()  // cancelled or shutting down: the claim loop is told by this or its own handler
                return
            }
            claims.tick()
        }
    }
}
