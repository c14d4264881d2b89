import Foundation

/// A model-safety threshold crossed in post-market monitoring (override surge, score drift, low PPV, a
/// cohort alerted far more than others), on `governance.alerts.v1` keyed by model id. For the people who
/// govern the model, never for the bedside; it carries figures and no patient.
public struct GovernanceAlert: Hashable, Sendable, CloudEventPayload {
    public static let schemaName = "vigil.governance-alert"
    public static let schemaVersion = SchemaVersion(major: 1, minor: 0)
    public static let cloudEventTypePrefix = "org.vigil.governance"

    public enum Severity: String, Hashable, Sendable, Codable {
        case warning, critical
    }

    public var id: EventID
    public var modelID: String
    public var modelVersion: String
    public var windowStart: Date
    public var windowEnd: Date
    /// `all`, `age:65-79`, `sex:female`, ...
    public var cohort: String
    /// `psi`, `override_rate`, `ppv`, `alert_rate_ratio`.
    public var metric: String
    public var value: Double
    public var threshold: Double
    public var severity: Severity
    public var raisedAt: Date

    public init(
        modelID: String, modelVersion: String, windowStart: Date, windowEnd: Date, cohort: String, metric: String,
        value: Double, threshold: Double, severity: Severity, raisedAt: Date
    ) {
        self.id = EventID.derive(
            namespace: "governance-alert",
            parts: [modelID, modelVersion, String(Timestamp.milliseconds(windowStart)), cohort, metric])
        self.modelID = modelID
        self.modelVersion = modelVersion
        self.windowStart = Timestamp.normalized(windowStart)
        self.windowEnd = Timestamp.normalized(windowEnd)
        self.cohort = cohort
        self.metric = metric
        self.value = value
        self.threshold = threshold
        self.severity = severity
        self.raisedAt = Timestamp.normalized(raisedAt)
    }

    public var cloudEventTypeName: String { "model-safety" }
    public var cloudEventID: String { id.rawValue }
    public var cloudEventTime: Date { raisedAt }
    public var cloudEventSubject: String? { modelID }

    private enum CodingKeys: String, CodingKey {
        case id, modelID, modelVersion, windowStart, windowEnd, cohort, metric, value, threshold, severity, raisedAt
    }

    public init(from decoder: any Decoder) throws {
        try Self.checkSchema(in: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            modelID: try c.decode(String.self, forKey: .modelID), modelVersion: try c.decode(String.self, forKey: .modelVersion),
            windowStart: try c.decodeTimestamp(forKey: .windowStart), windowEnd: try c.decodeTimestamp(forKey: .windowEnd),
            cohort: try c.decode(String.self, forKey: .cohort), metric: try c.decode(String.self, forKey: .metric),
            value: try c.decode(Double.self, forKey: .value), threshold: try c.decode(Double.self, forKey: .threshold),
            severity: try c.decode(Severity.self, forKey: .severity), raisedAt: try c.decodeTimestamp(forKey: .raisedAt))
    }

    public func encode(to encoder: any Encoder) throws {
        try Self.writeSchema(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(modelID, forKey: .modelID)
        try c.encode(modelVersion, forKey: .modelVersion)
        try c.encodeTimestamp(windowStart, forKey: .windowStart)
        try c.encodeTimestamp(windowEnd, forKey: .windowEnd)
        try c.encode(cohort, forKey: .cohort)
        try c.encode(metric, forKey: .metric)
        try c.encode(value, forKey: .value)
        try c.encode(threshold, forKey: .threshold)
        try c.encode(severity, forKey: .severity)
        try c.encodeTimestamp(raisedAt, forKey: .raisedAt)
    }
}
