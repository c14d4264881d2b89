import Foundation
import VigilModelCore

/// Re-runs stored risk records through the pure alert engine under one configuration (a policy and which
/// records it sees), with no store, no topic and no webhook: nothing anyone is told. The clock is clinical time:
/// each record is decided at its own event time, and timers (clearing, expiry, escalation) fire in between.
public struct ShadowReplay: Sendable {
    public let engine: AlertEngine

    public init(policy: AlertPolicy) {
        engine = AlertEngine(policy: policy)
    }

    /// The episodes the configuration opens, in the order they open. `records` may come in any order.
    public func run(_ records: [RiskRecord]) throws -> [ShadowEpisode] {
        var byPatient: [Pseudonym: [RiskRecord]] = [:]
        for record in records { byPatient[record.patient, default: []].append(record) }
        var episodes: [ShadowEpisode] = []
        for patient in byPatient.keys.sorted(by: { $0.rawValue < $1.rawValue }) {
            // A total order, so two runs over the same records decide the same way whatever order they came in.
            let ordered = byPatient[patient]!.sorted {
                (Self.clinicalTime($0), $0.revision ?? 1, $0.id.rawValue) < (Self.clinicalTime($1), $1.revision ?? 1, $1.id.rawValue)
            }
            episodes += try runPatient(ordered)
        }
        return episodes.sorted { ($0.openedAt, $0.alertID.rawValue) < ($1.openedAt, $1.alertID.rawValue) }
    }

    static func clinicalTime(_ record: RiskRecord) -> Date { record.eventTime ?? record.computedAt }

    private func runPatient(_ records: [RiskRecord]) throws -> [ShadowEpisode] {
        var states: [EventID: EpisodeState] = [:]
        var latest: [String: EventID] = [:]
        var timers: [String: EngineTimer] = [:]
        var found: [EventID: ShadowEpisode] = [:]

        func absorb(_ result: EngineResult) {
            guard let state = result.newState else { return }
            states[state.id] = state
            latest[state.condition] = state.id
            for effect in result.effects {
                switch effect {
                case .emit(let emission):
                    found[state.id, default: ShadowEpisode(opening: state, at: emission.event.time)].absorb(emission)
                case .setTimer(let timer):
                    timers["\(timer.alertID.rawValue)/\(timer.kind.rawValue)"] = timer
                case .cancelTimers(let alertID, let kinds):
                    for kind in kinds { timers["\(alertID.rawValue)/\(kind.rawValue)"] = nil }
                case .decide:
                    break
                }
            }
        }

        func fireTimers(until time: Date) throws {
            while let next = timers.values.filter({ $0.dueAt <= time }).min(by: {
                ($0.dueAt, $0.alertID.rawValue, $0.kind.rawValue) < ($1.dueAt, $1.alertID.rawValue, $1.kind.rawValue)
            }) {
                timers["\(next.alertID.rawValue)/\(next.kind.rawValue)"] = nil
                absorb(try engine.apply(states[next.alertID], .timer(next), now: next.dueAt))
            }
        }

        for var record in records {
            let time = Self.clinicalTime(record)
            try fireTimers(until: time)
            // Decided as if it arrived when it describes, from a model allowed to alert.
            record.computedAt = time
            record.modelStatus = .active
            let condition = engine.policy.condition(for: record)?.id ?? ""
            let state = latest[condition].flatMap { states[$0] }
            absorb(try engine.apply(state, .record(record, RecordContext(latestEventTime: time)), now: time))
        }
        return Array(found.values)
    }
}

/// One episode as a replay saw it: when it opened, how severe it got and how often it paged.
public struct ShadowEpisode: Hashable, Sendable, Codable {
    public var alertID: EventID
    public var patient: Pseudonym
    public var condition: String
    public var rule: String
    public var openedAt: Date
    public var firstSeverity: AlertEvent.Severity
    public var maxSeverity: AlertEvent.Severity
    public var pages: Int
    public var model: String

    init(opening state: EpisodeState, at time: Date) {
        alertID = state.id
        patient = state.patient
        condition = state.condition
        rule = state.rule
        openedAt = time
        firstSeverity = state.severity
        maxSeverity = state.severity
        pages = 0
        model = "\(state.model.id)@\(state.model.version)"
    }

    mutating func absorb(_ emission: AlertEmission) {
        maxSeverity = max(maxSeverity, emission.event.severity)
        if emission.page { pages += 1 }
    }
}
