import Foundation
import Logging
import ServiceLifecycle
import VigilKafka
import VigilModelCore
import VigilPostgres
import VigilRuntime

/// Publishes each stop-switch change (`notify.model_gates` rows not yet published) to
/// `governance.model-status.v1`, so infer's registry follows within about a second. Notify's own gate takes
/// effect at once whether or not infer is reachable; this only carries it on.
public struct ModelGateRelay: Service {
    let pool: PostgresPool
    let send: @Sendable (OutboundRecord) async throws -> Void
    let interval: Duration
    let logger: Logger

    public init(
        pool: PostgresPool, interval: Duration = .milliseconds(250), logger: Logger,
        send: @escaping @Sendable (OutboundRecord) async throws -> Void
    ) {
        self.pool = pool
        self.send = send
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await PeriodicPass.run(every: interval, logger: logger, failure: "model gate relay failed; retrying") {
            _ = try await publishPending()
        }
    }

    /// Publishes every unpublished change; the number published.
    public func publishPending() async throws -> Int {
        let rows = try await pool.query(
            """
            SELECT model_id, status, reason, changed_by, changed_at, changed_at::text FROM notify.model_gates
            WHERE published_at IS NULL ORDER BY 5
            """)
        for row in rows {
            let (model, status, reason, actor, at, exact) = try row.decode((String, String, String, String, Date, String).self)
            let change = ModelGateChange(modelID: model, stopped: status == "stopped", actor: actor, reason: reason, changedAt: at)
            let (headers, data) = try CloudEvent.encode(event: change, source: "vigil-notify")
            try await send(
                OutboundRecord(
                    topic: Topics.modelStatus, key: Array(model.utf8), value: data,
                    headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) }))
            // Only this change: a newer one made meanwhile stays unpublished (the trigger cleared it).
            _ = try await pool.execute(
                "UPDATE notify.model_gates SET published_at = now() WHERE model_id = \(model) AND changed_at = \(exact)::timestamptz")
        }
        return rows.count
    }
}
