import Foundation

/// A score or prediction for one patient at one time, on `clinical.risk.v1` (schema `vigil.risk-record`).
///
/// Carries what record-keeping needs to reproduce it: the exact model, the input events and the inputs
/// that were missing.
public struct RiskRecord: Hashable, Sendable, CloudEventPayload {
    public static let schemaName = "vigil.risk-record"
    /// 1.1 added the optional `eventTime`, `band`, `upperBound` and `modelStatus`; 1.2 `inputsHash`,
    /// `codeVersion`, `revision` and `supersedes`; 1.3 `observed`.
    public static let schemaVersion = SchemaVersion(major: 1, minor: 3)
    public static let cloudEventTypePrefix = "org.vigil.risk"

    public var id: EventID
    public var patient: Pseudonym
    public var model: ModelReference
    /// e.g. `news2`, `qsofa`, `sepsis-risk`.
    public var scoreName: String
    public var value: Double
    /// Contribution of each input to the score, by input name (e.g. NEWS2 points per parameter).
    public var parts: [String: Double]
    /// Inputs the model expected but did not have (names, never values).
    public var missingInputs: [String]
    /// The measured value behind each part, by the same names (e.g. `news2.rr: 28` for 3 points), so a clinician
    /// sees what the model saw. De-identified measurements only; empty when the model reports none.
    public var observed: [String: Double]
    public var inputEventIDs: [EventID]
    public var computedAt: Date { didSet { computedAt = Timestamp.normalized(computedAt) } }
    /// The clinical time the score describes (the newest input's time); one record per patient, score
    /// version and event time.
    public var eventTime: Date?
    /// The score's own band (`low`, `medium`, `high`, `positive`, `stage2`, …).
    public var band: String?
    /// With missing inputs `value` is a lower bound; this is the most the score could be.
    public var upperBound: Double?
    /// The model's registry status when scored: only `active` output may alert (shadow never does).
    public var modelStatus: ModelStatus?
    /// SHA-256 over every input the value was computed from (for a learned model, the feature vector), so a
    /// stored record can be checked against a recomputation.
    public var inputsHash: HexDigest?
    /// The software that computed it (`git describe` of the build that ran).
    public var codeVersion: String?
    /// 1 for the first record of a patient, score, model version and event time; a late or corrected input for
    /// the same time gives the next revision, which `supersedes` the record before it.
    public var revision: Int?
    public var supersedes: EventID?

    public init(
        id: EventID, patient: Pseudonym, model: ModelReference, scoreName: String, value: Double,
        parts: [String: Double] = [:], missingInputs: [String] = [], inputEventIDs: [EventID], computedAt: Date,
        eventTime: Date? = nil, band: String? = nil, upperBound: Double? = nil, modelStatus: ModelStatus? = nil,
        inputsHash: HexDigest? = nil, codeVersion: String? = nil, revision: Int? = nil, supersedes: EventID? = nil,
        observed: [String: Double] = [:]
    ) {
        self.observed = observed
        self.id = id
        self.patient = patient
        self.model = model
        self.scoreName = scoreName
        self.value = value
        self.parts = parts
        self.missingInputs = missingInputs
        self.inputEventIDs = inputEventIDs
        self.computedAt = Timestamp.normalized(computedAt)
        self.eventTime = eventTime.map(Timestamp.normalized)
        self.band = band
        self.upperBound = upperBound
        self.modelStatus = modelStatus
        self.inputsHash = inputsHash
        self.codeVersion = codeVersion
        self.revision = revision
        self.supersedes = supersedes
    }

    /// A replay-stable id: same model, score, patient and inputs give the same record id.
    public static func deriveID(
        model: ModelReference, scoreName: String, patient: Pseudonym, inputEventIDs: [EventID]
    ) -> EventID {
        EventID.derive(
            namespace: "risk",
            parts: [model.id, model.version, model.sha256.hex, scoreName, patient.rawValue]
                + inputEventIDs.map(\.rawValue).sorted())
    }

    /// The id of the record for one event time and one set of inputs (the same inputs at another time, or
    /// other inputs at the same time, are other records); `inputsHash` covers inputs beyond the listed events.
    public static func deriveID(
        model: ModelReference, scoreName: String, patient: Pseudonym, eventTime: Date, inputEventIDs: [EventID],
        inputsHash: HexDigest
    ) -> EventID {
        EventID.derive(
            namespace: "risk",
            parts: [
                model.id, model.version, model.sha256.hex, scoreName, patient.rawValue, String(Timestamp.milliseconds(eventTime)),
                inputsHash.hex,
            ] + inputEventIDs.map(\.rawValue).sorted())
    }

    public var cloudEventTypeName: String { "score" }
    public var cloudEventID: String { id.rawValue }
    public var cloudEventTime: Date { computedAt }
    public var cloudEventSubject: String? { patient.rawValue }

    private enum CodingKeys: String, CodingKey {
        case id, patient, model, scoreName, value, parts, missingInputs, inputEventIDs, computedAt, eventTime, band
        case upperBound, modelStatus, inputsHash, codeVersion, revision, supersedes, observed
    }

    public init(from decoder: any Decoder) throws {
        try Self.checkSchema(in: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(EventID.self, forKey: .id), patient: try c.decode(Pseudonym.self, forKey: .patient),
            model: try c.decode(ModelReference.self, forKey: .model),
            scoreName: try c.decode(String.self, forKey: .scoreName), value: try c.decode(Double.self, forKey: .value),
            parts: try c.decodeIfPresent([String: Double].self, forKey: .parts) ?? [:],
            missingInputs: try c.decodeIfPresent([String].self, forKey: .missingInputs) ?? [],
            inputEventIDs: try c.decode([EventID].self, forKey: .inputEventIDs),
            computedAt: try c.decodeTimestamp(forKey: .computedAt),
            eventTime: c.contains(.eventTime) ? try c.decodeTimestamp(forKey: .eventTime) : nil,
            band: try c.decodeIfPresent(String.self, forKey: .band),
            upperBound: try c.decodeIfPresent(Double.self, forKey: .upperBound),
            modelStatus: try c.decodeIfPresent(ModelStatus.self, forKey: .modelStatus),
            inputsHash: try c.decodeIfPresent(HexDigest.self, forKey: .inputsHash),
            codeVersion: try c.decodeIfPresent(String.self, forKey: .codeVersion),
            revision: try c.decodeIfPresent(Int.self, forKey: .revision),
            supersedes: try c.decodeIfPresent(EventID.self, forKey: .supersedes),
            observed: try c.decodeIfPresent([String: Double].self, forKey: .observed) ?? [:])
    }

    public func encode(to encoder: any Encoder) throws {
        try Self.writeSchema(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(patient, forKey: .patient)
        try c.encode(model, forKey: .model)
        try c.encode(scoreName, forKey: .scoreName)
        try c.encode(value, forKey: .value)
        try c.encode(parts, forKey: .parts)
        try c.encode(missingInputs, forKey: .missingInputs)
        try c.encode(inputEventIDs, forKey: .inputEventIDs)
        try c.encodeTimestamp(computedAt, forKey: .computedAt)
        if let eventTime { try c.encodeTimestamp(eventTime, forKey: .eventTime) }
        try c.encodeIfPresent(band, forKey: .band)
        try c.encodeIfPresent(upperBound, forKey: .upperBound)
        try c.encodeIfPresent(modelStatus, forKey: .modelStatus)
        try c.encodeIfPresent(inputsHash, forKey: .inputsHash)
        try c.encodeIfPresent(codeVersion, forKey: .codeVersion)
        try c.encodeIfPresent(revision, forKey: .revision)
        try c.encodeIfPresent(supersedes, forKey: .supersedes)
        if !observed.isEmpty { try c.encode(observed, forKey: .observed) }
    }
}
