import Foundation
import VigilModelCore
import VigilPHI

/// Maps validated entries to identified canonical events, resolving patient and encounter references
/// within the message, and records coverage.
///
/// An entry that cannot become an event (no resolvable patient, no time, no code) is an error for a single
/// resource (422) and a warning plus an `ignored` count inside a bundle, where the other entries stand.
struct FHIRMapper {
    let options: FHIRIntake.Options
    let messageControlID: String
    let isSingleResource: Bool
    let entries: [FHIREntry]
    var coverage = FHIRMappingCoverage()
    var log: FHIRIssueLog
    var events: [IdentifiedEvent] = []

    private var byFullUrl: [String: Int] = [:]
    private var byTypeID: [String: Int] = [:]
    private var patientByIdentifier: [String: Int] = [:]
    private var patientCache: [Int: IdentifiedPatient?] = [:]
    /// Effective time of the DiagnosticReport whose `result` lists the Observation at a position.
    private(set) var reportTimes: [Int: FHIRTime.Parsed] = [:]

    /// Sub-positions within an entry (`position = entry index × 1000 + sub`).
    static let positionsPerEntry = 1000
    static let narrativePosition = 999

    static let resourceTypes = "http://hl7.org/fhir/resource-types"

    init(
        entries: [FHIREntry], messageControlID: String, isSingleResource: Bool, options: FHIRIntake.Options,
        log: FHIRIssueLog
    ) {
        self.entries = entries
        self.messageControlID = messageControlID
        self.isSingleResource = isSingleResource
        self.options = options
        self.log = log
        for (position, entry) in entries.enumerated() {
            guard let resource = entry.resource, let type = entry.resourceType else { continue }
            if let fullUrl = entry.fullUrl, byFullUrl[fullUrl] == nil { byFullUrl[fullUrl] = position }
            if let id = resource["id"] as? String, byTypeID[type + "/" + id] == nil { byTypeID[type + "/" + id] = position }
            if type == "Patient" {
                for identifier in FHIRJSON.objects(resource["identifier"]) {
                    guard let value = FHIRJSON.string(identifier["value"]) else { continue }
                    let key = (FHIRJSON.string(identifier["system"]) ?? "") + "|" + value
                    if patientByIdentifier[key] == nil { patientByIdentifier[key] = position }
                    if patientByIdentifier["|" + value] == nil { patientByIdentifier["|" + value] = position }
                }
            }
        }
        for entry in entries where entry.resourceType == "DiagnosticReport" {
            guard let report = entry.resource else { continue }
            let time =
                FHIRTime.parse(report["effectiveDateTime"] as? String)
                ?? FHIRTime.parse(FHIRJSON.object(report["effectivePeriod"])?["start"] as? String)
            guard let time else { continue }
            for result in FHIRJSON.objects(report["result"]) {
                guard let position = self.position(of: FHIRJSON.string(result["reference"]), from: entry) else { continue }
                if reportTimes[position] == nil { reportTimes[position] = time }
            }
        }
    }

    /// The position of the entry a literal reference resolves to within the message.
    func position(of reference: String?, from entry: FHIREntry) -> Int? {
        guard let reference else { return nil }
        if let position = byFullUrl[reference] { return position }
        if let base = Self.base(of: entry.fullUrl), let position = byFullUrl[base + reference] { return position }
        return byTypeID[reference]
    }

    mutating func run() {
        for position in entries.indices {
            let entry = entries[position]
            guard case .ingest = entry.disposition, let resource = entry.resource, let type = entry.resourceType else {
                let type = FHIRNames.safeType(entry.resourceType ?? entry.requestType ?? "")
                coverage.resource(type, .ignored)
                if case .notExecuted(let what) = entry.disposition {
                    coverage.element(type, "request", .ignored)
                    log.warning(.notSupported, "\(what) is not executed by ingestion; entry ignored", at: entry.path)
                }
                continue
            }
            switch type {
            case "Patient": mapPatient(entry, resource, position: position)
            case "Observation": mapObservation(entry, resource, position: position)
            case "Encounter": mapEncounter(entry, resource)
            case "DocumentReference": mapDocumentReference(entry, resource)
            default: coverage.resource(FHIRNames.safeType(type), .ignored)
            }
        }
    }

    // MARK: - Patients

    private mutating func mapPatient(_ entry: FHIREntry, _ resource: FHIRJSON.Object, position: Int) {
        coverage.elements(of: resource, type: "Patient", mapped: FHIRPatientMapping.mappedElements)
        guard let patient = patient(at: position) else {
            unmapped(
                entry, "Patient", .required, "a Patient needs an identifier, an id or a fullUrl to be keyed",
                at: entry.resourcePath + ".identifier")
            return
        }
        coverage.resource("Patient", .mapped)
        let lastUpdated = FHIRTime.parse(FHIRJSON.object(resource["meta"])?["lastUpdated"] as? String)?.date
        guard let time = lastUpdated ?? options.receivedAt else {
            coverage.element("Patient", "meta.lastUpdated", .ignored)
            return  // identity and demographics still travel with the patient's other events
        }
        if lastUpdated == nil { coverage.element("Patient", "meta.lastUpdated", .defaulted) }
        emit(
            entry, sub: 0, type: "Patient", patient: patient, kind: .update,
            code: Coding(system: Self.resourceTypes, code: "Patient", display: "Patient demographics"), value: nil,
            effective: time, recorded: time, encounter: nil)
    }

    /// The identified patient of the Patient entry at `position` (cached).
    private mutating func patient(at position: Int) -> IdentifiedPatient? {
        if let cached = patientCache[position] { return cached }
        let entry = entries[position]
        var result: IdentifiedPatient?
        if let resource = entry.resource,
            let (identity, primary) = FHIRPatientMapping.identity(
                of: resource, fullUrl: entry.fullUrl, isContained: false, sourceSystem: options.sourceSystem)
        {
            if identity.isFallback { coverage.element("Patient", "identifier", .defaulted) }
            result = FHIRPatientMapping.patient(from: resource, identity: identity, primaryIndex: primary)
        }
        patientCache[position] = result
        return result
    }

    enum Resolution {
        case patient(IdentifiedPatient)
        case failure(FHIROperationOutcome.Issue.Code, String, path: String)
    }

    /// Resolves `subject` of the resource in `entry` to a patient: in the message (fullUrl, `Type/id`,
    /// conditional identifier, contained) or, for a patient outside it, by the reference itself.
    mutating func resolveSubject(_ entry: FHIREntry, _ resource: FHIRJSON.Object, type: String) -> Resolution {
        let path = entry.resourcePath + ".subject"
        guard let subject = FHIRJSON.object(resource["subject"]) else {
            return .failure(.required, "\(type).subject is needed to attribute the event to a patient", path: path)
        }
        if let declared = subject["type"] as? String, declared != "Patient" {
            return .failure(.notSupported, "\(type).subject must refer to a Patient", path: path + ".type")
        }
        let refPath = path + ".reference"
        guard let text = FHIRJSON.string(subject["reference"]) else {
            if let identifier = FHIRJSON.object(subject["identifier"]), let value = FHIRJSON.string(identifier["value"]) {
                return external(FHIRJSON.string(identifier["system"]) ?? options.sourceSystem, value)
            }
            return .failure(.required, "\(type).subject has neither a reference nor an identifier", path: path)
        }
        if let position = byFullUrl[text] { return inMessage(position, path: refPath, type: type) }
        let reference = FHIRReference(text)
        if let named = reference.resourceType, named != "Patient" {
            return .failure(.notSupported, "\(type).subject must refer to a Patient", path: refPath)
        }
        switch reference {
        case .contained(let id):
            return containedPatient(id, in: resource, path: refPath, type: type)
        case .relative(_, let id):
            if let base = Self.base(of: entry.fullUrl), let position = byFullUrl[base + text] {
                return inMessage(position, path: refPath, type: type)
            }
            if let position = byTypeID[text] { return inMessage(position, path: refPath, type: type) }
            coverage.element(type, "subject", .defaulted)
            return external(options.sourceSystem, "Patient/" + id)
        case .absolute(let url, _, _):
            coverage.element(type, "subject", .defaulted)
            return external(FHIRPatientMapping.uriAuthority, url)
        case .urn(let urn):
            coverage.element(type, "subject", .defaulted)
            return external(FHIRPatientMapping.uriAuthority, urn)
        case .conditional(_, let query):
            guard let (system, value) = Self.identifierCriterion(query) else {
                return .failure(
                    .notSupported, "a conditional subject reference must search by identifier alone", path: refPath)
            }
            if let position = patientByIdentifier[(system ?? "") + "|" + value] {
                return inMessage(position, path: refPath, type: type)
            }
            coverage.element(type, "subject", .defaulted)
            return external(system ?? options.sourceSystem, value)
        case .unknownType, .invalid:
            return .failure(.invalid, "\(type).subject.reference is not a valid reference", path: refPath)
        }
    }

    private mutating func inMessage(_ position: Int, path: String, type: String) -> Resolution {
        guard entries[position].resourceType == "Patient" else {
            return .failure(.notSupported, "\(type).subject must refer to a Patient", path: path)
        }
        guard let patient = patient(at: position) else {
            return .failure(.notFound, "the referenced Patient has no identifier, id or fullUrl", path: path)
        }
        return .patient(patient)
    }

    private func containedPatient(_ id: String, in resource: FHIRJSON.Object, path: String, type: String) -> Resolution {
        guard let contained = FHIRJSON.objects(resource["contained"]).first(where: { $0["id"] as? String == id }) else {
            return .failure(.notFound, "the contained resource the subject refers to is missing", path: path)
        }
        guard contained["resourceType"] as? String == "Patient" else {
            return .failure(.notSupported, "\(type).subject must refer to a Patient", path: path)
        }
        guard
            let (identity, primary) = FHIRPatientMapping.identity(
                of: contained, fullUrl: nil, isContained: true, sourceSystem: options.sourceSystem)
        else {
            return .failure(.required, "a contained Patient needs an identifier to be keyed", path: path)
        }
        return .patient(FHIRPatientMapping.patient(from: contained, identity: identity, primaryIndex: primary))
    }

    private func external(_ authority: String, _ id: String) -> Resolution {
        .patient(IdentifiedPatient(assigningAuthority: authority, patientID: id))
    }

    /// `identifier=system|value`, `identifier=|value` or `identifier=value` (percent-decoded).
    static func identifierCriterion(_ query: String) -> (String?, String)? {
        let parts = query.split(separator: "&")
        guard parts.count == 1, parts[0].hasPrefix("identifier=") else { return nil }
        let raw = String(parts[0].dropFirst("identifier=".count))
        let decoded = raw.removingPercentEncoding ?? raw
        guard let bar = decoded.firstIndex(of: "|") else { return decoded.isEmpty ? nil : (nil, decoded) }
        let system = String(decoded[..<bar])
        let value = String(decoded[decoded.index(after: bar)...])
        return value.isEmpty ? nil : (system.isEmpty ? nil : system, value)
    }

    /// `http://x/fhir/` for an entry whose fullUrl is `http://x/fhir/Type/id`.
    static func base(of fullUrl: String?) -> String? {
        guard let fullUrl, case .absolute(_, let type?, let id?) = FHIRReference(fullUrl),
            fullUrl.hasSuffix(type + "/" + id)
        else { return nil }
        return String(fullUrl.dropLast(type.count + id.count + 1))
    }

    // MARK: - Encounters referenced by events

    /// The visit number of the encounter a reference points to: the Encounter's first identifier value or its
    /// id when it is in the message, else the id in the reference.
    mutating func visitNumber(_ reference: FHIRJSON.Object?, from entry: FHIREntry) -> String? {
        guard let reference else { return nil }
        if let text = FHIRJSON.string(reference["reference"]) {
            if let position = position(of: text, from: entry), let resource = entries[position].resource {
                return Self.visitNumber(of: resource, fullUrl: entries[position].fullUrl)
            }
            switch FHIRReference(text) {
            case .relative(_, let id), .absolute(_, _, let id?): return id
            default: return text
            }
        }
        return FHIRJSON.string(FHIRJSON.object(reference["identifier"])?["value"])
    }

    static func visitNumber(of encounter: FHIRJSON.Object, fullUrl: String?) -> String? {
        FHIRJSON.objects(encounter["identifier"]).lazy.compactMap { FHIRJSON.string($0["value"]) }.first
            ?? FHIRJSON.string(encounter["id"]) ?? fullUrl
    }

    // MARK: - Emitting

    mutating func emit(
        _ entry: FHIREntry, sub: Int, type: String, patient: IdentifiedPatient, kind: EventKind, code: Coding,
        value: EventValue?, effective: Date, recorded: Date, encounter: String?
    ) {
        let source = EventSource(
            system: options.sourceSystem, messageControlID: messageControlID,
            position: entry.index * Self.positionsPerEntry + sub)
        events.append(
            IdentifiedEvent(
                patient: patient, encounter: encounter, kind: kind, code: code, value: value, effectiveTime: effective,
                recordedTime: recorded, source: source))
        coverage.event(type)
    }

    /// An entry that yields no event: an error for a single resource, a warning inside a bundle.
    mutating func unmapped(
        _ entry: FHIREntry, _ type: String, _ code: FHIROperationOutcome.Issue.Code, _ diagnostics: String,
        at path: String, reason: FHIRDeadLetterReason = .validationFailed
    ) {
        coverage.resource(type, .ignored)
        if isSingleResource {
            log.error(code, diagnostics, at: path, reason: reason)
        } else {
            log.warning(code, diagnostics + "; entry not ingested", at: path)
        }
    }

    /// The LOINC coding if there is one, else the first coding with a system and a code.
    static func preferredCoding(_ concept: FHIRJSON.Object?) -> Coding? {
        let codings = FHIRJSON.codings(concept)
        guard let chosen = codings.first(where: { $0.system == Coding.System.loinc }) ?? codings.first else {
            return nil
        }
        return Coding(system: chosen.system, code: chosen.code, display: chosen.display)
    }
}
