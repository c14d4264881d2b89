import Foundation
import Metrics
import Synchronization
import VigilModelCore
import VigilPostgres

/// Runs the engine against PostgreSQL: load the episode under its row lock, apply the input, write the new
/// state and every effect (events + outbox, timers, decisions) in the same transaction. Whatever calls it —
/// the risk stage, the care-event stage, the timer service, the API — gets the same guarantees.
public final class AlertStore: Sendable {
    public enum Target: Sendable {
        /// The patient's latest episode of the condition, live or closed (a closed one may hold an override).
        case latest(patient: Pseudonym, condition: String)
        case alert(EventID)
    }

    public let pool: PostgresPool
    private let engineBox: Mutex<AlertEngine>
    /// Signalled after a commit that wrote alert events to the outbox (the relay waits on it).
    let outboxWritten = Wakeup()

    public init(pool: PostgresPool, policy: AlertPolicy) {
        self.pool = pool
        engineBox = Mutex(AlertEngine(policy: policy))
    }

    public var engine: AlertEngine { engineBox.withLock { $0 } }

    /// Puts `policy` in force for every decision and action that starts from now on (`PolicyWatcher`); work in
    /// flight finishes under the engine it started with.
    public func activate(_ policy: AlertPolicy) {
        let engine = AlertEngine(policy: policy)
        engineBox.withLock { $0 = engine }
    }

    /// Applies `input`; returns the events it emitted. Human actions the episode refuses throw `AlertActionError`.
    @discardableResult
    public func apply(_ input: EngineInput, to target: Target, now: Date = Date()) async throws -> [AlertEmission] {
        let emitted = try await pool.withTransaction { connection in
            try await apply(input, to: target, on: connection, now: now).emitted
        }
        if !emitted.isEmpty { outboxWritten.signal() }
        return emitted
    }

    /// Applies `input` inside the caller's transaction, so an audit entry (the API) or several episodes (the stop
    /// switch) commit together with it. Returns the episode as stored and the events emitted.
    public func apply(
        _ input: EngineInput, to target: Target, on connection: PostgresConnection, now: Date = Date()
    ) async throws -> (episode: EpisodeState?, emitted: [AlertEmission]) {
        let state = try await Self.load(target, connection)
        let result = try engine.apply(state, input, now: now)
        if let episode = result.newState, episode != state { try await Self.save(episode, connection) }
        let emitted = try await Self.write(result.effects, connection)
        if let episode = result.newState, emitted.contains(where: { $0.event.action == .acknowledged }) {
            // Time to acknowledge: an alert-fatigue figure (Art 14 oversight actually happening).
            Timer(label: "vigil_notify_time_to_acknowledge_seconds", dimensions: [("severity", episode.severity.rawValue)])
                .recordSeconds(now.timeIntervalSince(episode.openedAt))
        }
        return (result.newState, emitted)
    }

    /// A risk record, once: a record already decided (a redelivery) changes nothing.
    @discardableResult
    public func decide(
        _ record: RiskRecord, context: RecordContext, traceparent: TraceParent? = nil, now: Date = Date()
    ) async throws -> [AlertEmission] {
        let engine = self.engine
        let emitted = try await pool.withTransaction { connection in
            try await Self.decide(record, context: context, traceparent: traceparent, now: now, engine: engine, on: connection)
        }
        if !emitted.isEmpty { outboxWritten.signal() }
        return emitted
    }

    /// The same inside the caller's transaction (a batch of records decided together); the caller signals
    /// `outboxWritten` after its commit.
    static func decide(
        _ record: RiskRecord, context: RecordContext, traceparent: TraceParent?, now: Date, engine: AlertEngine,
        on connection: PostgresConnection
    ) async throws -> [AlertEmission] {
        let seen = try await connection.query("SELECT 1 FROM notify.risk_decisions WHERE risk_id = \(record.id.rawValue)")
        guard seen.isEmpty else { return [] }
        let condition = engine.policy.condition(for: record)?.id ?? ""
        let state = try await load(.latest(patient: record.patient, condition: condition), connection)
        let result = try engine.apply(state, .record(record, context), now: now)
        if let episode = result.newState, episode != state { try await save(episode, connection) }
        var emitted = try await write(result.effects, connection, traceparent: traceparent)
        emitted.sort { $0.revision < $1.revision }
        return emitted
    }

    static func load(_ target: Target, _ connection: PostgresConnection) async throws -> EpisodeState? {
        let rows: PostgresRows
        switch target {
        case .latest(let patient, let condition):
            rows = try await connection.query(
                """
                SELECT state::text FROM notify.episodes WHERE patient = \(patient.rawValue) AND condition = \(condition)
                ORDER BY opened_at DESC LIMIT 1 FOR UPDATE
                """)
        case .alert(let id):
            rows = try await connection.query("SELECT state::text FROM notify.episodes WHERE id = \(id.rawValue) FOR UPDATE")
        }
        guard let text = try rows.first?.decode(String.self, at: 0) else { return nil }
        return try VigilJSON.decode(EpisodeState.self, from: Array(text.utf8))
    }

    static func save(_ episode: EpisodeState, _ connection: PostgresConnection) async throws {
        let state = String(decoding: try VigilJSON.encode(episode), as: UTF8.self)
        _ = try await connection.execute(
            """
            INSERT INTO notify.episodes (id, patient, condition, status, severity, model_id, opened_at, state)
            VALUES (\(episode.id.rawValue), \(episode.patient.rawValue), \(episode.condition), \(episode.status.rawValue),
                    \(episode.severity.rawValue), \(episode.model.id), \(episode.openedAt), \(state)::jsonb)
            ON CONFLICT (id) DO UPDATE SET status = excluded.status, severity = excluded.severity,
              state = excluded.state, updated_at = now()
            """)
    }
}
