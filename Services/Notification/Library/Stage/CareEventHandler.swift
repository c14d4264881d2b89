import Foundation
import VigilKafka
import VigilModelCore

/// `clinical.events.v1` → what changes alerts besides scores: an admission or transfer (routing), a discharge
/// (live alerts are retracted), a retraction or correction of data a live alert stands on, and confirmed
/// outcomes (coded diagnoses) that governance judges alerts against.
public struct CareEventHandler: StageHandler {
    let store: AlertStore
    let patients: PatientFacts
    let outcomeStore: OutcomeStore

    public init(store: AlertStore, patients: PatientFacts) {
        self.store = store
        self.patients = patients
        self.outcomeStore = OutcomeStore(pool: store.pool)
    }

    public func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome] {
        var outcomes: [StageOutcome] = []
        var demographics: [Pseudonym: Demographics] = [:]
        for message in batch {
            let event: ClinicalEvent
            do {
                event = try ClinicalEvent.decode(headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value)
            } catch {
                outcomes.append(.deadLetter(DeadLetterReason(code: "decode_error", detail: "not a clinical event")))
                continue
            }
            if let known = event.demographics { demographics[event.patient] = known }
            let care: CareEvent?
            switch event.kind {
            case .admission:
                try await patients.update(event.patient, unit: nil, admittedAt: event.effectiveTime, dischargedAt: nil)
                care = nil
            case .transfer:
                care = nil  // no unit reaches de-identified events yet (design gap G14): routing stays by `*`
            case .discharge:
                try await patients.update(event.patient, unit: nil, admittedAt: nil, dischargedAt: event.effectiveTime)
                care = .discharge(at: event.effectiveTime)
            case .retraction:
                care = event.revises.map { .retraction(of: $0) }
            case .correction:
                care = event.revises.map { .correction(of: $0) }
            default:
                care = nil
            }
            if let condition = ClinicalOutcome.condition(of: event), !event.kind.isRevision {
                try await outcomeStore.record(event, condition: condition)
            } else if let revised = event.revises {
                try await outcomeStore.revise(revised, with: event)
            }
            if let care {
                for alert in try await liveAlerts(of: event.patient) {
                    try await store.apply(.care(care), to: .alert(alert))
                }
            }
            outcomes.append(.produce([]))
        }
        try await patients.remember(demographics)
        return outcomes
    }

    func liveAlerts(of patient: Pseudonym) async throws -> [EventID] {
        let rows = try await store.pool.query(
            """
            SELECT id FROM notify.episodes
            WHERE patient = \(patient.rawValue) AND status IN ('open', 'acknowledged', 'snoozed')
            """)
        return try rows.compactMap { EventID(try $0.decode(String.self, at: 0)) }
    }
}
