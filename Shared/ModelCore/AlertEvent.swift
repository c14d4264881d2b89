import Foundation

/// One transition in an alert's life, on `clinical.alerts.v1` (schema `vigil.alert-event`), with type
/// `org.vigil.alert.<action>.v1`. `alertID` is stable across the transitions of one alert.
public struct AlertEvent: Hashable, Sendable, CloudEventPayload {
    public static let schemaName = "vigil.alert-event"
    /// 1.1 added the optional `lifecycle`.
    public static let schemaVersion = SchemaVersion(major: 1, minor: 1)
    public static let cloudEventTypePrefix = "org.vigil.alert"

    public enum Action: String, Hashable, Sendable, Codable, CaseIterable {
        case raised, updated, escalated, acknowledged, overridden, snoozed, retracted, resolved
    }

    public enum Severity: String, Hashable, Sendable, Codable, CaseIterable, Comparable {
        case info, low, medium, high, critical

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
        }
    }

    /// Why the alert fired, in terms a clinician can check (transparency, AI Act Art 13).
    public struct Factor: Hashable, Sendable, Codable {
        /// Input name, e.g. `respiratory_rate`.
        public var name: String
        /// Its contribution to the score, if the model gives one.
        public var contribution: Double?
        /// The observed value behind it, if any.
        public var value: EventValue?

        public init(name: String, contribution: Double? = nil, value: EventValue? = nil) {
            self.name = name
            self.contribution = contribution
            self.value = value
        }
    }

    /// Where the alert stands after this transition: what a receiver needs to decide whether to interrupt
    /// someone (`page`), whom (`targets`), and what the alert was computed from.
    public struct Lifecycle: Hashable, Sendable, Codable {
        /// The transition's number within the alert (1 = raised); ids follow from (alertID, revision).
        public var revision: Int
        /// Only `true` may interrupt a person; quiet updates keep systems in step.
        public var page: Bool
        /// `severity-rise`, `reminder`, `score-cleared`, `input-retracted`, … or the override's coded reason.
        public var reasonCode: String?
        public var escalationLevel: Int
        public var targets: [String]
        public var unit: String?
        public var scoreName: String
        public var score: Double
        /// `sha256:<hex>` of the alert policy that decided it.
        public var policyHash: String
        public var inputEventIDs: [EventID]
        public var snoozedUntil: Date?

        public init(
            revision: Int, page: Bool, reasonCode: String?, escalationLevel: Int, targets: [String], unit: String?,
            scoreName: String, score: Double, policyHash: String, inputEventIDs: [EventID], snoozedUntil: Date?
        ) {
            self.revision = revision
            self.page = page
            self.reasonCode = reasonCode
            self.escalationLevel = escalationLevel
            self.targets = targets
            self.unit = unit
            self.scoreName = scoreName
            self.score = score
            self.policyHash = policyHash
            self.inputEventIDs = inputEventIDs
            self.snoozedUntil = snoozedUntil.map(Timestamp.normalized)
        }

        private enum CodingKeys: String, CodingKey {
            case revision, page, reasonCode, escalationLevel, targets, unit, scoreName, score, policyHash
            case inputEventIDs, snoozedUntil
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(
                revision: try c.decode(Int.self, forKey: .revision), page: try c.decode(Bool.self, forKey: .page),
                reasonCode: try c.decodeIfPresent(String.self, forKey: .reasonCode),
                escalationLevel: try c.decode(Int.self, forKey: .escalationLevel),
                targets: try c.decode([String].self, forKey: .targets), unit: try c.decodeIfPresent(String.self, forKey: .unit),
                scoreName: try c.decode(String.self, forKey: .scoreName), score: try c.decode(Double.self, forKey: .score),
                policyHash: try c.decode(String.self, forKey: .policyHash),
                inputEventIDs: try c.decode([EventID].self, forKey: .inputEventIDs),
                snoozedUntil: c.contains(.snoozedUntil) ? try c.decodeTimestamp(forKey: .snoozedUntil) : nil)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(revision, forKey: .revision)
            try c.encode(page, forKey: .page)
            try c.encodeIfPresent(reasonCode, forKey: .reasonCode)
            try c.encode(escalationLevel, forKey: .escalationLevel)
            try c.encode(targets, forKey: .targets)
            try c.encodeIfPresent(unit, forKey: .unit)
            try c.encode(scoreName, forKey: .scoreName)
            try c.encode(score, forKey: .score)
            try c.encode(policyHash, forKey: .policyHash)
            try c.encode(inputEventIDs, forKey: .inputEventIDs)
            if let snoozedUntil { try c.encodeTimestamp(snoozedUntil, forKey: .snoozedUntil) }
        }
    }

    /// This transition's id.
    public var id: EventID
    /// The alert this transition belongs to.
    public var alertID: EventID
    public var patient: Pseudonym
    public var action: Action
    public var severity: Severity
    /// The rule that raised it, e.g. `news2.high`.
    public var rule: String
    public var factors: [Factor]
    public var model: ModelReference
    public var riskRecordID: EventID
    public var time: Date { didSet { time = Timestamp.normalized(time) } }
    /// Staff user who acted (acknowledge, override, snooze); nil for system transitions.
    public var actor: String?
    /// The reason given for an override, snooze or retraction.
    public var reason: String?
    public var lifecycle: Lifecycle?

    public init(
        id: EventID, alertID: EventID, patient: Pseudonym, action: Action, severity: Severity, rule: String,
        factors: [Factor] = [], model: ModelReference, riskRecordID: EventID, time: Date,
        actor: String? = nil, reason: String? = nil, lifecycle: Lifecycle? = nil
    ) {
        self.id = id
        self.alertID = alertID
        self.patient = patient
        self.action = action
        self.severity = severity
        self.rule = rule
        self.factors = factors
        self.model = model
        self.riskRecordID = riskRecordID
        self.time = Timestamp.normalized(time)
        self.actor = actor
        self.reason = reason
        self.lifecycle = lifecycle
    }

    public var cloudEventTypeName: String { action.rawValue }
    public var cloudEventID: String { id.rawValue }
    public var cloudEventTime: Date { time }
    public var cloudEventSubject: String? { patient.rawValue }

    private enum CodingKeys: String, CodingKey {
        case id, alertID, patient, action, severity, rule, factors, model, riskRecordID, time, actor, reason, lifecycle
    }

    public init(from decoder: any Decoder) throws {
        try Self.checkSchema(in: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(EventID.self, forKey: .id), alertID: try c.decode(EventID.self, forKey: .alertID),
            patient: try c.decode(Pseudonym.self, forKey: .patient), action: try c.decode(Action.self, forKey: .action),
            severity: try c.decode(Severity.self, forKey: .severity), rule: try c.decode(String.self, forKey: .rule),
            factors: try c.decodeIfPresent([Factor].self, forKey: .factors) ?? [],
            model: try c.decode(ModelReference.self, forKey: .model),
            riskRecordID: try c.decode(EventID.self, forKey: .riskRecordID),
            time: try c.decodeTimestamp(forKey: .time), actor: try c.decodeIfPresent(String.self, forKey: .actor),
            reason: try c.decodeIfPresent(String.self, forKey: .reason),
            lifecycle: try c.decodeIfPresent(Lifecycle.self, forKey: .lifecycle))
    }

    public func encode(to encoder: any Encoder) throws {
        try Self.writeSchema(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(alertID, forKey: .alertID)
        try c.encode(patient, forKey: .patient)
        try c.encode(action, forKey: .action)
        try c.encode(severity, forKey: .severity)
        try c.encode(rule, forKey: .rule)
        try c.encode(factors, forKey: .factors)
        try c.encode(model, forKey: .model)
        try c.encode(riskRecordID, forKey: .riskRecordID)
        try c.encodeTimestamp(time, forKey: .time)
        try c.encodeIfPresent(actor, forKey: .actor)
        try c.encodeIfPresent(reason, forKey: .reason)
        try c.encodeIfPresent(lifecycle, forKey: .lifecycle)
    }
}
