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

    public func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome] {
        var outcomes: [StageOutcome] = []
        for message in batch {
            let headers = message.headers.map { ($0.key, $0.value ?? []) }
            // Narratives share the topic; they are for people and never decide anything.
            if let type = headers.first(where: { $0.0 == "ce_type" }).map({ String(decoding: $0.1, as: UTF8.self) }),
                !type.hasPrefix("org.vigil.risk.score")
            {
                outcomes.append(.produce([]))
                continue
            }
            let record: RiskRecord
            let trace: TraceParent?
            do {
                let decoded = try RiskRecord.decodeWithEnvelope(headers: headers, data: message.value)
                (record, trace) = (decoded.payload, decoded.envelope.traceparent)
            } catch {
                outcomes.append(.deadLetter(DeadLetterReason(code: "decode_error", detail: "not a risk record")))
                continue
            }
            let start = ContinuousClock.now
            let context = try await patients.context(for: record)
            let emitted = try await store.decide(record, context: context, traceparent: trace)
            Timer(label: "vigil_notify_decision_seconds").recordNanoseconds((ContinuousClock.now - start).nanoseconds)
            for emission in emitted {
                Counter(
                    label: "vigil_notify_alert_events_total",
                    dimensions: [("action", emission.event.action.rawValue), ("severity", emission.event.severity.rawValue)]
                ).increment()
            }
            outcomes.append(.produce([]))
        }
        return outcomes
    }
}
