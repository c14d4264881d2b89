import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VigilKafka
import VigilModelCore
import VigilPostgres
import VigilRuntime

/// Publishes alert events from `notify.outbox` to `clinical.alerts.v1` in the order they were written, marking
/// each only after the broker acknowledged it. A crash in between publishes it again with the same id, which
/// consumers dedupe; nothing written is ever lost. `delivered` runs first for each event (webhooks).
public struct OutboxRelay: Service {
    let pool: PostgresPool
    let topic: String
    let send: @Sendable (OutboundRecord) async throws -> Void
    let delivered: @Sendable (AlertEvent, [UInt8]) async throws -> Void
    let interval: Duration
    let logger: Logger
    /// Publishes records in order and returns once the broker acknowledged all of them; without it, `send`
    /// one at a time.
    var sendBatch: (@Sendable ([OutboundRecord]) async throws -> Void)?
    /// Signalled when a decision committed events, so they go out now rather than at the next poll.
    var wakeup: Wakeup?

    /// `send` publishes one record and returns once the broker acknowledged it.
    public init(
        pool: PostgresPool, topic: String = Topics.alerts, interval: Duration = .milliseconds(100), logger: Logger,
        delivered: @escaping @Sendable (AlertEvent, [UInt8]) async throws -> Void = { _, _ in },
        send: @escaping @Sendable (OutboundRecord) async throws -> Void
    ) {
        self.pool = pool
        self.topic = topic
        self.send = send
        self.delivered = delivered
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        guard let wakeup else {
            await PeriodicPass.run(every: interval, logger: logger, failure: "outbox relay failed; retrying") {
                while try await publishPending() > 0 {}
            }
            return
        }
        // A tick every interval as well: events written inside another transaction (the API's) signal nothing.
        await withDiscardingTaskGroup { group in
            group.addTask {
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                    wakeup.signal()
                }
            }
            await PeriodicPass.run(every: .zero, logger: logger, failure: "outbox relay failed; retrying") {
                await wakeup.wait()
                while try await publishPending() > 0 {}
            }
        }
    }

    /// Publishes up to a batch of pending events, in order, then marks them in one statement; the number
    /// published. A crash before the mark publishes them again (same ids).
    public func publishPending(limit: Int = 200) async throws -> Int {
        let rows = try await pool.query(
            """
            SELECT o.seq, e.payload, e.traceparent FROM notify.outbox o JOIN notify.alert_events e ON e.id = o.event_id
            WHERE o.published_at IS NULL ORDER BY o.seq LIMIT \(limit)
            """)
        var seqs: [String] = []
        var records: [OutboundRecord] = []
        var actions: [String] = []
        for row in rows {
            let (seq, payload, trace) = try row.decode((Int, String, String?).self)
            let event = try VigilJSON.decode(AlertEvent.self, from: Array(payload.utf8))
            let (headers, data) = try CloudEvent.encode(
                event: event, source: "vigil-notify", traceparent: trace.flatMap(TraceParent.init))
            try await delivered(event, data)
            records.append(
                OutboundRecord(
                    topic: topic, key: Array(event.patient.rawValue.utf8), value: data,
                    headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) }))
            seqs.append(String(seq))
            actions.append(event.action.rawValue)
        }
        guard !records.isEmpty else { return 0 }
        if let sendBatch {
            try await sendBatch(records)
        } else {
            for record in records { try await send(record) }
        }
        _ = try await pool.execute(
            "UPDATE notify.outbox SET published_at = now() WHERE seq = ANY(\(PostgresTextArray(seqs))::bigint[])")
        for action in actions {
            Counter(label: "vigil_notify_published_total", dimensions: [("action", action)]).increment()
        }
        return rows.count
    }
}
