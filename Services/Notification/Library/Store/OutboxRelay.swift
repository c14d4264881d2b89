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
        await PeriodicPass.run(every: interval, logger: logger, failure: "outbox relay failed; retrying") {
            while try await publishPending() > 0 {}
        }
    }

    /// Publishes up to a batch of pending events; the number published.
    public func publishPending(limit: Int = 200) async throws -> Int {
        let rows = try await pool.query(
            """
            SELECT o.seq, e.payload, e.traceparent FROM notify.outbox o JOIN notify.alert_events e ON e.id = o.event_id
            WHERE o.published_at IS NULL ORDER BY o.seq LIMIT \(limit)
            """)
        for row in rows {
            let (seq, payload, trace) = try row.decode((Int, String, String?).self)
            let event = try VigilJSON.decode(AlertEvent.self, from: Array(payload.utf8))
            let (headers, data) = try CloudEvent.encode(
                event: event, source: "vigil-notify", traceparent: trace.flatMap(TraceParent.init))
            try await delivered(event, data)
            try await send(
                OutboundRecord(
                    topic: topic, key: Array(event.patient.rawValue.utf8), value: data,
                    headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) }))
            _ = try await pool.execute("UPDATE notify.outbox SET published_at = now() WHERE seq = \(seq)")
            Counter(label: "vigil_notify_published_total", dimensions: [("action", event.action.rawValue)]).increment()
        }
        return rows.count
    }
}
