import Foundation
import Logging
import ServiceLifecycle
import VigilKafka
import VigilModelCore
import VigilPostgres
import VigilRuntime

/// Recomputes today's and yesterday's monitoring windows (UTC days) every `interval`, and publishes the
/// governance alerts not yet on `governance.alerts.v1` (stored first, so none is lost if the broker is down).
public struct MonitorService: Service {
    let monitor: SafetyMonitor
    let interval: Duration
    let logger: Logger
    let send: @Sendable (OutboundRecord) async throws -> Void

    public init(
        monitor: SafetyMonitor, interval: Duration = .seconds(60), logger: Logger,
        send: @escaping @Sendable (OutboundRecord) async throws -> Void
    ) {
        self.monitor = monitor
        self.interval = interval
        self.logger = logger
        self.send = send
    }

    public func run() async throws {
        await PeriodicPass.run(every: interval, logger: logger, failure: "model-safety monitoring failed; retrying") {
            try await runOnce()
        }
    }

    public func runOnce(now: Date = Date()) async throws {
        let today = Date(timeIntervalSince1970: (now.timeIntervalSince1970 / 86400).rounded(.down) * 86400)
        for start in [today.addingTimeInterval(-86400), today] {
            for alert in try await monitor.compute(from: start, to: start.addingTimeInterval(86400), now: now) {
                logger.warning(
                    "governance alert",
                    metadata: ["model": "\(alert.modelID)@\(alert.modelVersion)", "metric": "\(alert.metric)",
                        "cohort": "\(alert.cohort)", "value": "\(alert.value)", "severity": "\(alert.severity.rawValue)"])
            }
        }
        _ = try await publishPending()
    }

    /// Publishes stored governance alerts in the order raised; the number published.
    public func publishPending() async throws -> Int {
        let rows = try await monitor.pool.query(
            "SELECT id, model_id, payload FROM notify.governance_alerts WHERE published_at IS NULL ORDER BY raised_at, id")
        for row in rows {
            let (id, model, payload) = try row.decode((String, String, String).self)
            let alert = try VigilJSON.decode(GovernanceAlert.self, from: Array(payload.utf8))
            let (headers, data) = try CloudEvent.encode(event: alert, source: "vigil-notify")
            try await send(
                OutboundRecord(
                    topic: Topics.governanceAlerts, key: Array(model.utf8), value: data,
                    headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) }))
            _ = try await monitor.pool.execute("UPDATE notify.governance_alerts SET published_at = now() WHERE id = \(id)")
        }
        return rows.count
    }
}
