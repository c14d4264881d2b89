import Foundation
import VigilModelCore

/// What the store must do after a transition, in order, inside one transaction.
public enum Effect: Hashable, Sendable {
    case emit(AlertEmission)
    case setTimer(EngineTimer)
    case cancelTimers(alertID: EventID, kinds: [TimerKind])
    /// One row of `notify.risk_decisions`: every risk record gets exactly one, whatever happens to it.
    case decide(Decision)
}

/// The engine's answer: the episode to store (nil: none exists) and the effects.
public struct EngineResult: Hashable, Sendable {
    public var newState: EpisodeState?
    public var effects: [Effect]
}

/// An alert event as the engine emits it: the event, where the alert stands (`lifecycle`, read through as
/// `emission.page`, `emission.revision`, …) and when its inputs were current. `page` is the quiet re-alerting
/// contract: only `page == true` may interrupt a person.
@dynamicMemberLookup
public struct AlertEmission: Hashable, Sendable {
    public var event: AlertEvent
    public var lifecycle: AlertEvent.Lifecycle
    /// The newest input's time; kept in the store, not published.
    public var inputsAsOf: Date?

    public subscript<Value>(dynamicMember keyPath: KeyPath<AlertEvent.Lifecycle, Value>) -> Value {
        lifecycle[keyPath: keyPath]
    }

    /// The event as published: the 1.0 fields plus `lifecycle`.
    public var published: AlertEvent {
        var published = event
        published.lifecycle = lifecycle
        return published
    }
}

/// System reason codes on alert events.
public enum AlertReason: String, Hashable, Sendable, CaseIterable {
    case severityRise = "severity-rise"
    case severityFall = "severity-fall"
    case reminder
    case snoozeEnded = "snooze-ended"
    case scoreCleared = "score-cleared"
    case expired
    case inputRetracted = "input-retracted"
    case inputCorrected = "input-corrected"
    case discharged
    case modelStopped = "model-stopped"
    case transferred
}

public struct Decision: Hashable, Sendable {
    public enum Mode: String, Hashable, Sendable, Codable {
        case live, shadow
    }

    public enum Outcome: String, Hashable, Sendable, Codable {
        /// Opened an episode.
        case raise
        /// Qualifying at the episode's severity: nothing to tell anyone.
        case refire
        case rise, fall
        /// Matched no rule (below every threshold); counts towards resolving only below `clear.below`.
        case clear
        case suppress
        /// No condition of the policy covers this score and model.
        case ignore
    }

    public enum SuppressReason: String, Hashable, Sendable, Codable {
        case stale, shadow, stopped
        case overrideHold = "override_hold"
        case discharged
    }

    public var riskID: EventID
    public var patient: Pseudonym
    public var model: ModelReference
    public var scoreName: String
    public var value: Double
    /// The clinical time the record describes (de-identified, so shifted like every event time).
    public var eventTime: Date?
    public var mode: Mode
    public var outcome: Outcome
    public var suppressReason: SuppressReason?
    public var condition: String?
    /// The rule the record matched (for a suppressed record: the one it would have raised).
    public var rule: String?
    public var severity: AlertEvent.Severity?
    public var alertID: EventID?
    public var policyHash: String
    public var decidedAt: Date
}
