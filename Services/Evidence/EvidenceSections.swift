import Foundation

/// Art. 14: what people did with the system's output, and with the system itself.
public struct HumanOversight: Codable, Sendable, Hashable {
    /// Acknowledgements, overrides and snoozes of alerts (`notify.alert_events`).
    public var actions: [AlertAction]
    /// Alerts raised and acted on per UTC day of the period (the data of the per-day plot).
    public var perDay: [DayCount]
    /// Stop-switch and registry status changes from the audit log (`model.stop`, `model.restart`, `model.status`).
    public var stopSwitchUses: [AuditUse]
    /// Each model's gate (`notify.model_gates`) as it stands at export.
    public var gatesAtExport: [Gate]
    /// Identity reveals and their refusals (`alert.reveal_grant`, `deid.grant`, `deid.reveal`, …).
    public var identityReveals: [AuditUse]

    public struct AlertAction: Codable, Sendable, Hashable {
        public var eventId: String
        public var alertId: String
        /// `acknowledged`, `overridden` or `snoozed`.
        public var action: String
        public var at: String
        public var actor: String?
        public var reasonCode: String?
        /// The override's (or snooze's) free text as the clinician gave it.
        public var reasonText: String?
        public var snoozedUntil: String?
        public var patient: String
        public var condition: String
        public var modelId: String
        public var severity: String
    }

    public struct DayCount: Codable, Sendable, Hashable {
        /// `YYYY-MM-DD`, UTC.
        public var day: String
        public var raised: Int
        public var acknowledged: Int
        public var overridden: Int
        public var snoozed: Int
    }

    /// An audit entry about a model or an identity, as stored (subjects carry ids and pseudonyms, never identities).
    public struct AuditUse: Codable, Sendable, Hashable {
        public var seq: Int64
        public var at: String
        public var actor: String
        public var action: String
        public var subject: String
        public var reason: String?
        public var details: String?
    }

    public struct Gate: Codable, Sendable, Hashable {
        public var modelId: String
        public var status: String
        public var reason: String
        public var changedBy: String
        public var changedAt: String
    }
}

/// Art. 72: the monitoring windows computed in the period and the governance alerts they raised.
public struct PostMarketMonitoring: Codable, Sendable, Hashable {
    public var windows: [Window]
    public var governanceAlerts: [GovernanceAlertRow]

    public struct Window: Codable, Sendable, Hashable {
        public var modelId: String
        public var modelVersion: String
        public var windowStart: String
        public var windowEnd: String
        public var cohort: String
        public var mode: String
        /// `SafetyFigures` as stored (Services/Notification/Library/Monitoring/SafetyFigures.swift).
        public var figures: JSONValue
        public var computedAt: String
    }

    public struct GovernanceAlertRow: Codable, Sendable, Hashable {
        public var id: String
        public var modelId: String
        public var modelVersion: String
        public var windowStart: String
        public var cohort: String
        public var metric: String
        public var value: Double
        public var threshold: Double
        /// `warning` or `critical`.
        public var severity: String
        public var raisedAt: String
        public var publishedAt: String?
    }
}

/// Something a person must look at to decide whether it is a serious incident to report (Art. 73).
/// Never an identity: `patient` is the pseudonym notify knows.
public struct IncidentCandidate: Codable, Sendable, Hashable {
    public enum Kind: String, Codable, Sendable, Hashable, CaseIterable {
        /// A confirmed outcome without an alert of its condition in the counting window.
        case missedAlert = "missed-alert"
        /// An alert raised while its model was stopped (gate or registry).
        case alertOnStoppedModel = "alert-on-stopped-model"
        /// A governance alert of severity critical.
        case criticalGovernanceAlert = "critical-governance-alert"
    }

    public var kind: Kind
    public var summary: String
    public var patient: String?
    public var modelId: String?
    public var condition: String?
    /// Named times, e.g. `onset`, `raisedAt`, `stoppedAt` (RFC 3339).
    public var times: [String: String]
    /// Named ids, e.g. `outcomeEvent`, `alert`, `alertEvent`, `stopAuditSeq`.
    public var ids: [String: String]
}
