import Foundation

/// A short plain-language narrative attached to a risk record (schema `vigil.risk-narrative`).
///
/// Either written by a foundation model from a de-identified summary (`aiGenerated`) or the deterministic
/// fallback text. Informational only: nothing that decides whether to alert reads it.
public struct RiskNarrative: Hashable, Sendable, CloudEventPayload {
    public static let schemaName = "vigil.risk-narrative"
    public static let schemaVersion = SchemaVersion(major: 1, minor: 0)
    public static let cloudEventTypePrefix = "org.vigil.risk"

    public static let aiDisclaimer = "AI-generated; not a diagnosis; does not affect alerting."
    public static let fallbackDisclaimer = "Automated summary; not a diagnosis; does not affect alerting."

    public var riskRecordID: EventID
    /// For the Kafka key; never sent to the model.
    public var patient: Pseudonym
    public var text: String
    public var aiGenerated: Bool
    /// `foundation-model` or `fallback`.
    public var source: String
    /// The model deployment that wrote `text`, when one did.
    public var deployment: String?
    /// Why the fallback was used: `disabled`, `budget`, `circuit_open`, `timeout`, `http_429`, `http_4xx`,
    /// `http_5xx`, `malformed` or `transport`.
    public var fallbackReason: String?
    /// Duration of the model call, when one was made.
    public var latencyMs: Double?
    public var createdAt: Date { didSet { createdAt = Timestamp.normalized(createdAt) } }

    /// Derived, so it cannot disagree with the record and source it names.
    public var id: EventID { Self.deriveID(riskRecordID: riskRecordID, source: source) }

    /// Shown with the text; derived from `aiGenerated`, so readers need not trust the wire copy.
    public var disclaimer: String { aiGenerated ? Self.aiDisclaimer : Self.fallbackDisclaimer }

    public init(
        riskRecordID: EventID, patient: Pseudonym, text: String, aiGenerated: Bool, source: String,
        deployment: String? = nil, fallbackReason: String? = nil, latencyMs: Double? = nil, createdAt: Date
    ) {
        self.riskRecordID = riskRecordID
        self.patient = patient
        self.text = text
        self.aiGenerated = aiGenerated
        self.source = source
        self.deployment = deployment
        self.fallbackReason = fallbackReason
        self.latencyMs = latencyMs
        self.createdAt = Timestamp.normalized(createdAt)
    }

    /// One narrative per risk record and source, so a replay does not add a second one.
    public static func deriveID(riskRecordID: EventID, source: String) -> EventID {
        EventID.derive(namespace: "risk-narrative", parts: [riskRecordID.rawValue, source])
    }

    public var cloudEventTypeName: String { "narrative" }
    public var cloudEventID: String { id.rawValue }
    public var cloudEventTime: Date { createdAt }
    public var cloudEventSubject: String? { patient.rawValue }

    private enum CodingKeys: String, CodingKey {
        case id, riskRecordID, patient, text, aiGenerated, source, deployment, fallbackReason, latencyMs, createdAt
        case disclaimer
    }

    public init(from decoder: any Decoder) throws {
        try Self.checkSchema(in: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            riskRecordID: try c.decode(EventID.self, forKey: .riskRecordID),
            patient: try c.decode(Pseudonym.self, forKey: .patient), text: try c.decode(String.self, forKey: .text),
            aiGenerated: try c.decode(Bool.self, forKey: .aiGenerated),
            source: try c.decode(String.self, forKey: .source),
            deployment: try c.decodeIfPresent(String.self, forKey: .deployment),
            fallbackReason: try c.decodeIfPresent(String.self, forKey: .fallbackReason),
            latencyMs: try c.decodeIfPresent(Double.self, forKey: .latencyMs),
            createdAt: try c.decodeTimestamp(forKey: .createdAt))
        guard try c.decode(EventID.self, forKey: .id) == id else {
            throw ModelCoreError(.invalidPayload, field: "id", reason: "does not match riskRecordID and source")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        try Self.writeSchema(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(riskRecordID, forKey: .riskRecordID)
        try c.encode(patient, forKey: .patient)
        try c.encode(text, forKey: .text)
        try c.encode(aiGenerated, forKey: .aiGenerated)
        try c.encode(source, forKey: .source)
        try c.encodeIfPresent(deployment, forKey: .deployment)
        try c.encodeIfPresent(fallbackReason, forKey: .fallbackReason)
        try c.encodeIfPresent(latencyMs, forKey: .latencyMs)
        try c.encodeTimestamp(createdAt, forKey: .createdAt)
        try c.encode(disclaimer, forKey: .disclaimer)
    }
}
