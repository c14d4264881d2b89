import Foundation
import VigilModelCore

/// One alert episode of a patient and condition: the row the store keeps in `notify.episodes`. Codable so it
/// round-trips through storage unchanged; the engine reads nothing else about the past.
public struct EpisodeState: Hashable, Sendable, Codable {
    public enum Status: String, Hashable, Sendable, Codable, CaseIterable {
        case open, acknowledged, snoozed, overridden, resolved, retracted

        /// At most one live episode per patient and condition (the partial unique index).
        public var isLive: Bool { self == .open || self == .acknowledged || self == .snoozed }
    }

    /// The alert id: `derive("alert", [patient, condition, openingRiskID])`.
    public var id: EventID
    public var patient: Pseudonym
    public var condition: String
    public var status: Status
    /// What the alert says now: the rule's severity, or higher after a ladder step with `raiseSeverityTo`.
    public var severity: AlertEvent.Severity
    /// Set by a ladder step's `raiseSeverityTo`, so the next record does not read as a fall; cleared on a rise.
    public var escalatedTo: AlertEvent.Severity?
    public var rule: String
    public var model: ModelReference
    public var scoreName: String
    public var policyHash: String
    public var unit: String?
    public var targets: [String]
    public var escalationLevel: Int
    /// Step `n` is due at `ladderStartedAt + step.after`; moved on a snooze so the ladder resumes, not jumps.
    public var ladderStartedAt: Date
    /// The number of the last emitted event; the next event is `revision + 1`.
    public var revision: Int
    /// The latest record the alert stands on, and its inputs (the basis retractions and corrections check).
    public var riskID: EventID
    public var score: Double
    public var parts: [String: Double]
    /// The measured value behind each part (nil from records before risk record 1.3).
    public var observed: [String: Double]?
    public var basis: [EventID]
    public var inputsAsOf: Date?
    /// Inputs the model did not have (nil: none); with any, `score` is a lower bound and `upperBound` the most.
    public var missingInputs: [String]?
    public var upperBound: Double?
    /// Whether the latest record matched a rule (a snooze ending on a clearing episode does not page).
    public var qualifying: Bool
    public var openedAt: Date
    public var lastRecordAt: Date
    /// Since when every record has been below `clear.below`; any other record resets it.
    public var clearSince: Date?
    public var ackedAt: Date?
    public var ackedBy: String?
    public var snoozedUntil: Date?
    /// The delay before the next reminder; grows by `remind.factor` up to `remind.max`.
    public var remindInterval: PolicyDuration
    /// A corrected basis event waiting for the recomputed score (`correctionGrace`).
    public var pendingCorrection: EventID?
    public var closedAt: Date?
    public var closeCode: String?
    public var overrideCode: OverrideReason?
    public var overrideText: String?
    /// Until then a record of this condition at or below `severityAtOverride` does not raise again.
    public var holdUntil: Date?
    public var severityAtOverride: AlertEvent.Severity?

    /// The alert id of an episode opened by `riskID`.
    public static func alertID(patient: Pseudonym, condition: String, openingRiskID: EventID) -> EventID {
        EventID.derive(namespace: "alert", parts: [patient.rawValue, condition, openingRiskID.rawValue])
    }

    /// The id of this alert's event with `revision`.
    public static func eventID(alertID: EventID, revision: Int) -> EventID {
        EventID.derive(namespace: "alert-event", parts: [alertID.rawValue, String(revision)])
    }
}

/// Why a clinician overrode an alert (the coded part; `other` needs text).
public enum OverrideReason: String, Hashable, Sendable, Codable, CaseIterable {
    case patientNotAtRisk = "patient-not-at-risk"
    case alreadyAddressed = "already-addressed"
    case dataError = "data-error"
    case other
}
