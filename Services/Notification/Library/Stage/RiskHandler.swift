import Foundation
import Metrics
import VigilKafka
import VigilModelCore
import VigilPostgres

/// `clinical.risk.v1` → one decision per risk record (raise, re-fire, rise, fall, clear, suppress, ignore).
/// What the decision emits goes to the outbox in the same transaction; the relay publishes it, so the
/// stage itself produces nothing and a crash never loses or doubles an alert.
public struct RiskHandler: StageHandler {
    let store: AlertStore
    let patients: PatientFacts

    public init(store: AlertStore, patients: PatientFacts) {
        self.store = store
        self.patients = patients
    }

    /// The batch's records are decided in order in one transaction (one commit per batch, not per record);
    /// a failure rolls all of them back and the runner retries or splits the batch.
    public func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome] {
        var outcomes: [StageOutcome] = []
        var records: [(record: RiskRecord, trace: TraceParent?)] = []
        for message in batch {
            let headers = message.headers.map { ($0.key, $0.value ?? []) }
            outcomes.append(.produce([]))
            // Narratives share the topic; they are for people and never decide anything.
            if let type = headers.first(where: { $0.0 == "ce_type" }).map({ String(decoding: $0.1, as: UTF8.self) }),
                !type.hasPrefix("org.vigil.risk.score")
            {
                continue
            }
            do {
                let decoded = try RiskRecord.decodeWithEnvelope(headers: headers, data: message.value)
                records.append((decoded.payload, decoded.envelope.traceparent))
            } catch {
                outcomes[outcomes.count - 1] = .deadLetter(DeadLetterReason(code: "decode_error", detail: "not a risk record"))
            }
        }
        guard !records.isEmpty else { return outcomes }
        let engine = store.engine
        let emitted = try await store.pool.withTransaction { connection in
            var emitted: [AlertEmission] = []
            for (record, trace) in records {
                let start = ContinuousClock.now
                let context = try await patients.context(for: record, on: connection)
                emitted += try await AlertStore.decide(
                    record, context: context, traceparent: trace, now: Date(), engine: engine, on: connection)
                Timer(label: "vigil_notify_decision_seconds").recordNanoseconds((ContinuousClock.now - start).nanoseconds)
            }
            return emitted
        }
        if !emitted.isEmpty { store.outboxWritten.signal() }
        for emission in emitted {
            Counter(
                label: "vigil_notify_alert_events_total",
                dimensions: [("action", emission.event.action.rawValue), ("severity", emission.event.severity.rawValue)]
            ).increment()
        }
        return outcomes
    }
}
