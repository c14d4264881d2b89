import Foundation
import VigilModelCore

/// Everything that can happen to an episode. The store loads the episode, runs the engine and writes the effects.
public enum EngineInput: Hashable, Sendable {
    /// A risk record of the episode's patient and condition, with what the store knows about the patient.
    case record(RiskRecord, RecordContext)
    /// A durable timer came due (it was set by an earlier `Effect.setTimer`).
    case timer(EngineTimer)
    /// A clinician acted on the alert; `revision` is the one they were shown (nil: do not check).
    case human(actor: String, action: HumanAction, revision: Int?)
    case care(CareEvent)
    /// The stop switch halted this model: its live episodes are retracted.
    case modelStopped(modelID: String)
}

/// Patient and model facts the store holds outside the episode.
public struct RecordContext: Hashable, Sendable {
    /// The unit code from the last admission or transfer; nil routes by `*`.
    public var unit: String?
    public var discharged: Bool
    /// The model gate (`notify.model_gates`) says stopped, whatever the record's own status.
    public var modelStopped: Bool
    /// The newest event time notify has seen for the patient. Event times are de-identified (shifted per
    /// patient), so staleness is measured against this, never against the wall clock.
    public var latestEventTime: Date?

    public init(unit: String? = nil, discharged: Bool = false, modelStopped: Bool = false, latestEventTime: Date? = nil) {
        self.unit = unit
        self.discharged = discharged
        self.modelStopped = modelStopped
        self.latestEventTime = latestEventTime
    }
}

public enum HumanAction: Hashable, Sendable {
    case acknowledge
    /// `reasonCode` is one of `OverrideReason`; kept as text so the engine, not each caller, validates it.
    case override(reasonCode: String?, text: String?)
    case snooze(minutes: Int)
}

public enum CareEvent: Hashable, Sendable {
    /// Retracts episodes opened before `at`.
    case discharge(at: Date)
    case transfer(unit: String?)
    /// An event of the latest basis was withdrawn: the alert stood on data that is gone.
    case retraction(of: EventID)
    /// An event of the latest basis was corrected: wait `correctionGrace` for the recomputed score.
    case correction(of: EventID)
}

public enum TimerKind: String, Hashable, Sendable, Codable, CaseIterable {
    case escalate, remind
    case snoozeEnd = "snooze_end"
    case clearCheck = "clear_check"
    case expire
    case correctionGrace = "correction_grace"
}

/// A row of `notify.timers`: one per episode and kind, so setting a kind again replaces it.
public struct EngineTimer: Hashable, Sendable, Codable {
    public var alertID: EventID
    public var kind: TimerKind
    public var dueAt: Date
    /// The ladder step an `escalate` timer brings; 0 for other kinds.
    public var step: Int

    public init(alertID: EventID, kind: TimerKind, dueAt: Date, step: Int = 0) {
        self.alertID = alertID
        self.kind = kind
        self.dueAt = dueAt
        self.step = step
    }
}
