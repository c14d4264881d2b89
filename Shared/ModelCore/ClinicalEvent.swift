import Foundation

/// The canonical, de-identified clinical event on `clinical.events.v1`, keyed by `Pseudonym`.
///
/// JSON (schema `vigil.clinical-event/1.0`) with sorted keys, RFC 3339 UTC millisecond times; optional
/// fields are omitted when nil. Times are stored at millisecond precision (see `Timestamp`).
public struct ClinicalEvent: Hashable, Sendable, VersionedPayload {
    public static let schemaName = "vigil.clinical-event"
    /// 1.1 added the optional `demographics` and `deidentification`.
    public static let schemaVersion = SchemaVersion(major: 1, minor: 1)

    public var id: EventID
    public var patient: Pseudonym
    /// Pseudonymous encounter reference; never a raw visit number.
    public var encounter: String?
    public var kind: EventKind
    /// For corrections and retractions: the event being revised.
    public var revises: EventID?
    public var code: Coding
    public var value: EventValue?
    /// When the observation was made / the thing happened (clinically relevant time).
    public var effectiveTime: Date { didSet { effectiveTime = Timestamp.normalized(effectiveTime) } }
    /// When the source system recorded it.
    public var recordedTime: Date { didSet { recordedTime = Timestamp.normalized(recordedTime) } }
    public var source: EventSource
    /// Age band, sex and ZIP3 of the patient at this event (set by de-identification).
    public var demographics: Demographics?
    /// How this event was de-identified (set by de-identification).
    public var deidentification: DeidProvenance?

    /// `id` defaults to the one derived from `source`, which is what every producer should use.
    public init(
        id: EventID? = nil, patient: Pseudonym, encounter: String? = nil, kind: EventKind, revises: EventID? = nil,
        code: Coding, value: EventValue? = nil, effectiveTime: Date, recordedTime: Date, source: EventSource,
        demographics: Demographics? = nil, deidentification: DeidProvenance? = nil
    ) {
        self.id = id ?? EventID(source: source)
        self.patient = patient
        self.encounter = encounter
        self.kind = kind
        self.revises = revises
        self.code = code
        self.value = value
        self.effectiveTime = Timestamp.normalized(effectiveTime)
        self.recordedTime = Timestamp.normalized(recordedTime)
        self.source = source
        self.demographics = demographics
        self.deidentification = deidentification
    }

    private enum CodingKeys: String, CodingKey {
        case id, patient, encounter, kind, revises, code, value, effectiveTime, recordedTime, source, demographics
        case deidentification
    }

    public init(from decoder: any Decoder) throws {
        try Self.checkSchema(in: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try container.decode(EventID.self, forKey: .id),
            patient: try container.decode(Pseudonym.self, forKey: .patient),
            encounter: try container.decodeIfPresent(String.self, forKey: .encounter),
            kind: try container.decode(EventKind.self, forKey: .kind),
            revises: try container.decodeIfPresent(EventID.self, forKey: .revises),
            code: try container.decode(Coding.self, forKey: .code),
            value: try container.decodeIfPresent(EventValue.self, forKey: .value),
            effectiveTime: try container.decodeTimestamp(forKey: .effectiveTime),
            recordedTime: try container.decodeTimestamp(forKey: .recordedTime),
            source: try container.decode(EventSource.self, forKey: .source),
            demographics: try container.decodeIfPresent(Demographics.self, forKey: .demographics),
            deidentification: try container.decodeIfPresent(DeidProvenance.self, forKey: .deidentification))
        try validate(at: decoder.codingPath)
    }

    public func encode(to encoder: any Encoder) throws {
        try validate(at: encoder.codingPath)
        try Self.writeSchema(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(patient, forKey: .patient)
        try container.encodeIfPresent(encounter, forKey: .encounter)
        try container.encode(kind, forKey: .kind)
        try container.encodeIfPresent(revises, forKey: .revises)
        try container.encode(code, forKey: .code)
        try container.encodeIfPresent(value, forKey: .value)
        try container.encodeTimestamp(effectiveTime, forKey: .effectiveTime)
        try container.encodeTimestamp(recordedTime, forKey: .recordedTime)
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(demographics, forKey: .demographics)
        try container.encodeIfPresent(deidentification, forKey: .deidentification)
    }

    private func validate(at path: [any CodingKey]) throws {
        if revises != nil && !kind.isRevision {
            throw ModelCoreError(.invalidPayload, reason: "only corrections and retractions revise an event")
                .at(path + [CodingKeys.revises])
        }
    }
}
