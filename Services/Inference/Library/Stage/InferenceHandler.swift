import Foundation
import Logging
import Metrics
import VigilKafka
import VigilModelCore
import VigilPostgres

/// `clinical.events.v1` → patient state → early-warning scores → `clinical.risk.v1`. Each changed patient is
/// re-scored at the event's time; each record is stored once per (patient, score, model version, event time),
/// so a replay produces nothing twice.
public struct InferenceHandler: StageHandler {
    public let store: ObservationStore
    public let registry: ModelRegistry
    public let outputTopic: String
    let logger: Logger

    public init(store: ObservationStore, registry: ModelRegistry, outputTopic: String = Topics.risk, logger: Logger) {
        self.store = store
        self.registry = registry
        self.outputTopic = outputTopic
        self.logger = logger
    }

    public func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome] {
        var outcomes: [StageOutcome] = []
        for message in batch {
            let event: ClinicalEvent
            do {
                event = try ClinicalEvent.decode(headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value)
            } catch {
                outcomes.append(.deadLetter(DeadLetterReason(code: "decode_error", detail: "not a clinical event")))
                continue
            }
            Counter(label: "vigil_infer_events_in_total").increment()
            guard !(try await store.apply([event])).isEmpty else {
                outcomes.append(.produce([]))
                continue
            }
            outcomes.append(.produce(try await score(event)))
        }
        return outcomes
    }

    /// All scores for the event's patient at the event's time; the records not stored before.
    func score(_ event: ClinicalEvent) async throws -> [OutboundRecord] {
        let start = ContinuousClock.now
        let time = event.effectiveTime
        let state = try await store.load(event.patient, from: time.addingTimeInterval(-9 * 86_400), to: time)
        let (vitals, used) = state.vitals(asOf: time)
        var results = [NEWS2.score(vitals), QSOFA.score(vitals), SIRS.score(vitals), MEWS.score(vitals)]
        let creatinine = state.creatinine(asOf: time)
        if !creatinine.isEmpty { results.append(KDIGO.stage(creatinine, at: time)) }
        var records: [OutboundRecord] = []
        for result in results where result.parts.count > 0 {
            let model = ScoreModels.reference(result.name)
            // Stopped and retired models produce nothing; shadow output is marked and never alerts.
            let status = try await registry.status(of: model)
            guard status == .active || status == .shadow else { continue }
            let inputs = (result.name == "kdigo" ? state.observations.filter { $0.code.hasPrefix("2160") || $0.code.hasPrefix("14682") }.map(\.eventID) : used)
                .compactMap(EventID.init)
            let record = RiskRecord(
                id: RiskRecord.deriveID(model: model, scoreName: result.name, patient: event.patient, inputEventIDs: inputs),
                patient: event.patient, model: model, scoreName: result.name, value: Double(result.value),
                parts: result.parts.mapValues(Double.init), missingInputs: result.missing, inputEventIDs: inputs,
                computedAt: Date(), eventTime: time, band: result.band, upperBound: Double(result.upperBound),
                modelStatus: status)
            let (headers, data) = try CloudEvent.encode(event: record, source: "vigil-infer")
            let inserted = try await store.pool.query(
                """
                INSERT INTO infer.risk_records (pseudonym, score, model_version, event_time, record_id, value, input_hash, record)
                VALUES (\(event.patient.rawValue), \(result.name), \(model.version), \(time), \(record.id.rawValue),
                        \(Double(result.value)), \(HexDigest.sha256(framing: inputs.map(\.rawValue).sorted()).hex),
                        \(String(decoding: data, as: UTF8.self)))
                ON CONFLICT DO NOTHING
                RETURNING record_id
                """)
            guard !inserted.isEmpty else { continue }
            Counter(label: "vigil_infer_risk_records_total", dimensions: [("score", result.name), ("band", result.band)]).increment()
            records.append(
                OutboundRecord(
                    topic: outputTopic, key: Array(event.patient.rawValue.utf8), value: data,
                    headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) }))
        }
        Timer(label: "vigil_infer_score_seconds").recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        return records
    }
}
