import Foundation
import Notification
import VigilModelCore

/// The policy the engine tests reason about, written out so every expected value in them can be checked by
/// hand against it (the shipped policy may be retuned without touching these tests).
enum TestPolicy {
    static let yaml = """
        apiVersion: vigil.notify/v1
        kind: AlertPolicy
        metadata: {name: engine-tests, version: "1"}
        defaults:
          maxRecordAge: 1h
          staleInputs: 4h
          expireAfter: 12h
          remind: {first: 30m, factor: 2, max: 4h}
          snooze: {max: 60m, allowedFor: [low, medium, high]}
          overrideHold: 8h
          correctionGrace: 2m
        targets: [ward-nurse, charge-nurse, ward-doctor, outreach-team, rapid-response]
        routes:
          - {units: ["ICU*"], ladder: icu}
          - {units: ["*"], ladder: ward}
        ladders:
          ward:
            - {after: 0m,  targets: [ward-nurse]}
            - {after: 15m, targets: [ward-nurse, charge-nurse, ward-doctor]}
            - {after: 30m, targets: [outreach-team], raiseSeverityTo: critical}
          icu:
            - {after: 0m,  targets: [ward-doctor]}
            - {after: 10m, targets: [rapid-response]}
        conditions:
          - id: news2
            models: [{id: news2, versions: ["rcp-2017.*"]}]
            score: news2
            clear: {below: 4, for: 30m}
            rules:
              - {id: news2.urgent,  when: {score: {gte: 7}}, severity: critical}
              - {id: news2.review,  when: {score: {gte: 5}}, severity: high}
              - {id: news2.single3, when: {anyPart: {gte: 3}}, severity: high}
          - id: sepsis
            models: [{id: sepsis-lgbm, versions: ["1.*"]}]
            score: sepsis-risk
            clear: {below: 0.01, for: 2h}
            rules:
              - {id: sepsis.high,   when: {score: {gte: 0.05}}, severity: high}
              - {id: sepsis.medium, when: {score: {gte: 0.02}}, severity: medium, ladder: none}
        """

    static let policy = try! AlertPolicyLoader.parse(yaml, source: "engine-tests.yaml")
    static let engine = AlertEngine(policy: policy)
}

let t0 = Date(timeIntervalSince1970: 1_750_000_000)

func minutes(_ count: Double) -> Date { t0.addingTimeInterval(count * 60) }

let patient = try! Pseudonym.derive(
    assigningAuthority: "test", patientID: "42", key: [UInt8](repeating: 7, count: 32), keyID: "k1")

let news2Model = ModelReference(
    id: "news2", version: "rcp-2017.1", sha256: HexDigest.sha256(framing: ["vigil.score/1", "news2", "rcp-2017.1"]))
let sepsisModel = ModelReference(id: "sepsis-lgbm", version: "1.0.0", sha256: HexDigest.sha256(framing: ["sepsis"]))

func inputEvent(_ name: String) -> EventID { EventID.derive(system: "test", messageControlID: name, position: 0) }

/// A fresh, active NEWS2 record computed at `at` from the named input events.
func news2(
    _ value: Double, parts: [String: Double] = [:], at: Date, inputs: [String]? = nil,
    status: ModelStatus? = .active, computedAt: Date? = nil, eventTime: Date? = nil
) -> RiskRecord {
    let ids = (inputs ?? ["obs-\(at.timeIntervalSince1970)-\(value)"]).map(inputEvent)
    return RiskRecord(
        id: RiskRecord.deriveID(model: news2Model, scoreName: "news2", patient: patient, inputEventIDs: ids),
        patient: patient, model: news2Model, scoreName: "news2", value: value, parts: parts, inputEventIDs: ids,
        computedAt: computedAt ?? at, eventTime: eventTime ?? at, modelStatus: status)
}

func sepsis(_ probability: Double, at: Date) -> RiskRecord {
    let ids = [inputEvent("sepsis-\(at.timeIntervalSince1970)")]
    return RiskRecord(
        id: RiskRecord.deriveID(model: sepsisModel, scoreName: "sepsis-risk", patient: patient, inputEventIDs: ids),
        patient: patient, model: sepsisModel, scoreName: "sepsis-risk", value: probability, inputEventIDs: ids,
        computedAt: at, eventTime: at, modelStatus: .active)
}

/// Plays the store's part: keeps the episode and the timer rows, and fires due timers in order as the timer
/// service would.
struct Harness {
    var engine = TestPolicy.engine
    var state: EpisodeState?
    var timers: [TimerKind: EngineTimer] = [:]
    var events: [AlertEmission] = []
    var decisions: [Decision] = []

    @discardableResult
    mutating func apply(_ input: EngineInput, at now: Date) throws(AlertActionError) -> [Effect] {
        let result = try engine.apply(state, input, now: now)
        state = result.newState
        for effect in result.effects {
            switch effect {
            case .emit(let emission): events.append(emission)
            case .setTimer(let timer): timers[timer.kind] = timer
            case .cancelTimers(_, let kinds): for kind in kinds { timers[kind] = nil }
            case .decide(let decision): decisions.append(decision)
            }
        }
        return result.effects
    }

    /// Fires the timers due before the record, then decides it at its computation time.
    @discardableResult
    mutating func record(_ record: RiskRecord, context: RecordContext = RecordContext()) -> Decision {
        advance(to: record.computedAt)
        try! apply(.record(record, context), at: record.computedAt)
        return decisions.last!
    }

    /// Fires every timer due up to `until`, earliest first, each at its due time.
    mutating func advance(to until: Date) {
        // Ties go by kind name, so a run does not depend on dictionary order.
        while let next = timers.values.filter({ $0.dueAt <= until })
            .min(by: { ($0.dueAt, $0.kind.rawValue) < ($1.dueAt, $1.kind.rawValue) })
        {
            timers[next.kind] = nil
            try! apply(.timer(next), at: next.dueAt)
        }
    }

    mutating func act(_ action: HumanAction, at now: Date, actor: String = "user:nurse1") throws(AlertActionError) {
        try apply(.human(actor: actor, action: action, revision: nil), at: now)
    }

    /// Minutes after t0 of each event with this reason code.
    func times(of reason: String) -> [Double] {
        events.filter { $0.reasonCode == reason }.map { $0.event.time.timeIntervalSince(t0) / 60 }
    }

    var last: AlertEmission { events.last! }
}
