import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VigilModelCore
import VigilRuntime

/// Fires due timers (escalation, reminders, snooze end, clear check, expiry, correction grace). Timers are
/// rows in `notify.timers`, so a restart loses none: overdue ones fire on the first pass after it.
public struct TimerService: Service {
    let store: AlertStore
    let interval: Duration
    let logger: Logger

    public init(store: AlertStore, interval: Duration = .seconds(1), logger: Logger) {
        self.store = store
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        await PeriodicPass.run(every: interval, logger: logger, failure: "timer pass failed") {
            _ = try await fireDue()
            try await recordGauges()
        }
    }

    /// Open alerts by severity, and how far timers and the outbox lag (both should stay near zero).
    func recordGauges() async throws {
        let open = try await store.pool.query(
            """
            SELECT s.severity, count(e.id)::int FROM unnest(ARRAY['info','low','medium','high','critical']) AS s(severity)
            LEFT JOIN notify.episodes e ON e.severity = s.severity AND e.status IN ('open', 'acknowledged', 'snoozed')
            GROUP BY s.severity
            """)
        for row in open {
            let (severity, count) = try row.decode((String, Int).self)
            Gauge(label: "vigil_notify_open_alerts", dimensions: [("severity", severity)]).record(count)
        }
        let lag = try await store.pool.query(
            """
            SELECT coalesce(extract(epoch FROM now() - min(due_at)), 0)::float8 FROM notify.timers WHERE due_at <= now()
            UNION ALL
            SELECT coalesce(extract(epoch FROM now() - min(e.created_at)), 0)::float8
            FROM notify.outbox o JOIN notify.alert_events e ON e.id = o.event_id WHERE o.published_at IS NULL
            """)
        let values = try lag.map { try $0.decode(Double.self, at: 0) }
        if values.count == 2 {
            Gauge(label: "vigil_notify_timer_lag_seconds").record(values[0])
            Gauge(label: "vigil_notify_outbox_lag_seconds").record(values[1])
        }
    }

    /// One pass: every timer due by `now`, oldest first; the number fired.
    public func fireDue(now: Date = Date()) async throws -> Int {
        let rows = try await store.pool.query(
            "SELECT alert_id, kind FROM notify.timers WHERE due_at <= \(now) ORDER BY due_at LIMIT 500")
        var fired = 0
        for row in rows {
            let (alert, kind) = try row.decode((String, String).self)
            guard let alertID = EventID(alert), let timerKind = TimerKind(rawValue: kind) else { continue }
            if try await store.fire(alertID, timerKind, now: now) { fired += 1 }
        }
        return fired
    }
}

extension AlertStore {
    /// Claims the timer if it is still due (another pass or a newer setting may have taken or moved it) and
    /// applies it; the claim and the effects (which may set it again) are one transaction.
    func fire(_ alertID: EventID, _ kind: TimerKind, now: Date) async throws -> Bool {
        let engine = self.engine
        return try await pool.withTransaction { connection in
            let claimed = try await connection.query(
                """
                DELETE FROM notify.timers
                WHERE alert_id = \(alertID.rawValue) AND kind = \(kind.rawValue) AND due_at <= \(now)
                RETURNING due_at, step
                """)
            guard let row = claimed.first else { return false }
            let (due, step) = try row.decode((Date, Int).self)
            let timer = EngineTimer(alertID: alertID, kind: kind, dueAt: due, step: step)
            let state = try await Self.load(.alert(alertID), connection)
            let result = try engine.apply(state, .timer(timer), now: now)
            if let episode = result.newState, episode != state { try await Self.save(episode, connection) }
            _ = try await Self.write(result.effects, connection)
            return true
        }
    }
}
