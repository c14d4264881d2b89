import Foundation
import VigilModelCore

/// The canonical event before de-identification, on `clinical.events.identified.v1`: the same shape as
/// `ClinicalEvent` but keyed by `IdentifiedPatient`. Schema `vigil.identified-event/1.0`, CloudEvents type
/// `org.vigil.clinical.identified.<kind>.v1` — a different schema name, so a de-identified consumer that is
/// handed one fails with `.schemaMismatch` instead of reading it.
public struct IdentifiedEvent: Hashable, Sendable, CloudEventPayload, PHIRedacted {
    public static let schemaName = "vigil.identified-event"
    public static let schemaVersion = SchemaVersion(major: 1, minor: 0)
    public static let cloudEventTypePrefix = "org.vigil.clinical.identified"

    public var id: EventID
    public var patient: IdentifiedPatient
    /// The source's encounter / visit number (identified; de-id replaces it).
    public var encounter: String?
    public var kind: EventKind
    public var revises: EventID?
    public var code: Coding
    /// May hold identifiers in free text (notes); de-id scrubs it.
    public var value: EventValue?
    public var effectiveTime: Date { didSet { effectiveTime = Timestamp.normalized(effectiveTime) } }
    public var recordedTime: Date { didSet { recordedTime = Timestamp.normalized(recordedTime) } }
    public var source: EventSource

    public init(
        id: EventID? = nil, patient: IdentifiedPatient, encounter: String? = nil, kind: EventKind,
        revises: EventID? = nil, code: Coding, value: EventValue? = nil, effectiveTime: Date, recordedTime: Date,
        source: EventSource
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
    }

    /// Only the id and kind, which are not identifying.
    public var description: String { "IdentifiedEvent(id: \(id), kind: \(kind.rawValue), redacted)" }

    public var cloudEventTypeName: String { kind.rawValue }
    public var cloudEventID: String { id.rawValue }
    public var cloudEventTime: Date { effectiveTime }
    /// No subject: headers must not carry identifiers.
    public var cloudEventSubject: String? { nil }

    private enum CodingKeys: String, CodingKey {
        case id, patient, encounter, kind, revises, code, value, effectiveTime, recordedTime, source
    }

    public init(from decoder: any Decoder) throws {
        try Self.checkSchema(in: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(EventID.self, forKey: .id),
            patient: try c.decode(IdentifiedPatient.self, forKey: .patient),
            encounter: try c.decodeIfPresent(String.self, forKey: .encounter),
            kind: try c.decode(EventKind.self, forKey: .kind),
            revises: try c.decodeIfPresent(EventID.self, forKey: .revises),
            code: try c.decode(Coding.self, forKey: .code),
            value: try c.decodeIfPresent(EventValue.self, forKey: .value),
            effectiveTime: try c.decodeTimestamp(forKey: .effectiveTime),
            recordedTime: try c.decodeTimestamp(forKey: .recordedTime),
            source: try c.decode(EventSource.self, forKey: .source))
        try validate(at: decoder.codingPath)
    }

    public func encode(to encoder: any Encoder) throws {
        try validate(at: encoder.codingPath)
        try Self.writeSchema(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(patient, forKey: .patient)
        try c.encodeIfPresent(encounter, forKey: .encounter)
        try c.encode(kind, forKey: .kind)
        try c.encodeIfPresent(revises, forKey: .revises)
        try c.encode(code, forKey: .code)
        try c.encodeIfPresent(value, forKey: .value)
        try c.encodeTimestamp(effectiveTime, forKey: .effectiveTime)
        try c.encodeTimestamp(recordedTime, forKey: .recordedTime)
        try c.encode(source, forKey: .source)
    }

    private func validate(at path: [any CodingKey]) throws {
        if revises != nil && !kind.isRevision {
            throw ModelCoreError(.invalidPayload, reason: "only corrections and retractions revise an event")
                .at(path + [CodingKeys.revises])
        }
    }
}
