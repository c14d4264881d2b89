import Foundation
import Logging
import Metrics
import VigilKafka
import VigilModelCore
import VigilPostgres

/// `clinical.events.v1` → patient state → early-warning scores → `clinical.risk.v1`. Each changed patient is
/// re-scored at the event's time; each record is stored once per (patient, score, model version, event time,
/// inputs), so a replay or redelivery stores nothing twice and publishes the stored records again.
public struct InferenceHandler: StageHandler {
    public let store: ObservationStore
    public let registry: ModelRegistry
    /// The learned sepsis model, when one is installed.
    public let sepsis: SepsisModel?
    let sepsisCache = SepsisStayCache()
    /// The optional narrative adapter; nil when it is off.
    public let narratives: NarrativePublisher?
    public let outputTopic: String
    /// The software that computes the records (`git describe`, from VIGIL_CODE_VERSION).
    public let codeVersion: String
    let logger: Logger

    public init(
        store: ObservationStore, registry: ModelRegistry, sepsis: SepsisModel? = nil,
        narratives: NarrativePublisher? = nil, outputTopic: String = Topics.risk, codeVersion: String = "unknown",
        logger: Logger
    ) {
        self.codeVersion = codeVersion
        self.narratives = narratives
        self.store = store
        self.registry = registry
        self.sepsis = sepsis
        self.outputTopic = outputTopic
        self.logger = logger
    }

    public func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome] {
        var outcomes: [StageOutcome] = []
        var events: [(outcome: Int, event: ClinicalEvent, trace: TraceParent?)] = []
        for message in batch {
            do {
                let (event, envelope) = try ClinicalEvent.decodeWithEnvelope(
                    headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value)
                events.append((outcomes.count, event, envelope.traceparent))
                outcomes.append(.produce([]))
                Counter(label: "vigil_infer_events_in_total").increment()
            } catch {
                outcomes.append(.deadLetter(DeadLetterReason(code: "decode_error", detail: "not a clinical event")))
            }
        }
        let toScore = Set(try await store.apply(events.map(\.event)).map(\.id))
        // One scoring per patient and event time: a message's results share a time, and scoring after each
        // would publish a revision per result. The records go with the last event of the group.
        var groups: [ScoringKey: Int] = [:]
        var order: [ScoringKey] = []
        for (index, item) in events.enumerated() where toScore.contains(item.event.id) {
            let key = ScoringKey(patient: item.event.patient, time: item.event.effectiveTime)
            if groups.updateValue(index, forKey: key) == nil { order.append(key) }
        }
        for key in order {
            let item = events[groups[key]!]
            outcomes[item.outcome] = .produce(try await score(item.event, traceparent: item.trace))
        }
        return outcomes
    }

    /// All scores for the event's patient at the event's time; the records not stored before.
    /// `traceparent` is the triggering event's W3C trace context, carried on so an alert traces back to its
    /// source message.
    func score(_ event: ClinicalEvent, traceparent: TraceParent? = nil) async throws -> [OutboundRecord] {
        let start = ContinuousClock.now
        let time = event.effectiveTime
        let context = sepsis == nil ? nil : try await store.sepsisContext(event.patient)
        // The bedside scores look back 9 days at most; the sepsis features from the ICU anchor (14 days at most).
        var from = time.addingTimeInterval(-9 * 86_400)
        if let anchor = context?.anchor { from = max(min(from, anchor), time.addingTimeInterval(-14 * 86_400)) }
        let state = try await store.load(event.patient, from: from, to: time)
        let (vitals, used) = state.vitals(asOf: time)
        var results = [NEWS2.score(vitals), QSOFA.score(vitals), SIRS.score(vitals), MEWS.score(vitals)]
        let creatinine = state.creatinine(asOf: time)
        if !creatinine.isEmpty { results.append(KDIGO.stage(creatinine, at: time)) }
        var scored: [Scored] = []
        for result in results where result.parts.count > 0 {
            let inputs = (result.name == "kdigo" ? state.observations.filter { $0.code.hasPrefix("2160") || $0.code.hasPrefix("14682") }.map(\.eventID) : used)
                .compactMap(EventID.init)
            scored.append(
                Scored(
                    model: ScoreModels.reference(result.name), name: result.name, value: Double(result.value),
                    parts: result.parts.mapValues(Double.init), observed: result.observed, missing: result.missing,
                    band: result.band, upperBound: Double(result.upperBound), inputs: inputs,
                    inputsHash: HexDigest.sha256(framing: inputs.map(\.rawValue).sorted())))
        }
        if let sepsis, let context, let anchor = context.anchor {
            scored.append(
                Self.sepsisScore(
                    sepsis, state: state, anchor: anchor, statics: context.statics, asOf: time, patient: event.patient,
                    cache: sepsisCache))
        }
        var records: [OutboundRecord] = []
        var notable: RiskRecord?
        for (record, outbound, isNew) in try await store(scored, for: event, traceparent: traceparent) {
            records.append(outbound)
            if isNew, notable == nil, let band = record.band, NarrativePublisher.notableBands.contains(band) { notable = record }
        }
        if let narratives, let notable {
            let summary = PatientSummary(
                state: state, asOf: time, statics: context?.statics,
                scores: scored.map { PatientSummary.Score(name: $0.name, value: $0.value, band: $0.band, parts: $0.parts) })
            narratives.offer(.init(summary: summary, riskRecordID: notable.id, patient: event.patient))
        }
        Timer(label: "vigil_infer_score_seconds").recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        return records
    }

    /// The learned model's probability for the hour `asOf` falls in, with the features that moved it most.
    static func sepsisScore(
        _ model: SepsisModel, state: PatientObservations, anchor: Date, statics: SepsisStatics, asOf: Date,
        patient: Pseudonym, cache: SepsisStayCache
    ) -> Scored {
        let features = cache.features(
            for: patient, observations: state.observations, anchor: anchor, asOf: asOf, statics: statics)
        let probability = model.probability(features)
        let factors = model.topFactors(features, count: 5)
        // The events of the current hour are listed; every input is covered by the hash of the features.
        let hourStart = anchor.addingTimeInterval(Double(SepsisHours.hour(of: asOf, anchor: anchor)) * 3600)
        let inputs = state.observations.filter {
            $0.time >= hourStart && $0.time <= asOf && SepsisColumns.indexByLOINC[$0.code] != nil
        }.compactMap { EventID($0.eventID) }
        let missing = SepsisColumns.measured.indices.filter { features[$0].isNaN }.map { SepsisColumns.names[$0] }
        return Scored(
            model: model.reference, name: "sepsis-risk", value: probability,
            parts: Dictionary(factors.map { ($0.name, $0.contribution) }, uniquingKeysWith: +),
            observed: Dictionary(factors.filter { !$0.value.isNaN }.map { ($0.name, $0.value) }, uniquingKeysWith: { a, _ in a }),
            missing: missing,
            band: probability >= model.metadata.threshold ? "positive" : "negative", upperBound: nil, inputs: inputs,
            inputsHash: HexDigest.sha256(of: features.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) }))
    }

}

/// Events scored together: one patient at one event time.
struct ScoringKey: Hashable {
    var patient: Pseudonym
    var time: Date
}

/// One score's result before it becomes a risk record.
struct Scored {
    var model: ModelReference
    var name: String
    var value: Double
    var parts: [String: Double]
    var observed: [String: Double] = [:]
    var missing: [String]
    var band: String
    var upperBound: Double?
    var inputs: [EventID]
    var inputsHash: HexDigest
}
