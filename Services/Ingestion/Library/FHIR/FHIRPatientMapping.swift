import VigilModelCore
import VigilPHI

/// Patient resources and patient references → `IdentifiedPatient`.
///
/// Identity (what the pseudonym derives from), in order of preference:
/// 1. an identifier typed `MR` (v2-0203), else an `official`/`usual` one, else any not `old` — its `system` is
///    the assigning authority (the intake's `sourceSystem` when absent);
/// 2. the logical id: authority `sourceSystem`, id `Patient/<id>` — the same identity a `Patient/<id>`
///    reference to a patient outside the message gets;
/// 3. a `urn:uuid:`/absolute fullUrl: authority `urn:ietf:rfc:3986` (RFC 3986 URI as identifier).
enum FHIRPatientMapping {
    static let uriAuthority = "urn:ietf:rfc:3986"

    struct Identity {
        var authority: String
        var id: String
        /// Whether the identity came from something other than an identifier (coverage: defaulted).
        var isFallback: Bool
    }

    static func identity(
        of patient: FHIRJSON.Object, fullUrl: String?, isContained: Bool, sourceSystem: String
    ) -> (Identity, primaryIndex: Int?)? {
        let identifiers = FHIRJSON.objects(patient["identifier"])
        func usable(_ identifier: FHIRJSON.Object) -> Bool {
            FHIRJSON.string(identifier["value"]) != nil && identifier["use"] as? String != "old"
        }
        let isMR: (FHIRJSON.Object) -> Bool = { identifier in
            FHIRJSON.objects(FHIRJSON.object(identifier["type"])?["coding"]).contains { $0["code"] as? String == "MR" }
        }
        let primary =
            identifiers.firstIndex { usable($0) && isMR($0) }
            ?? identifiers.firstIndex { usable($0) && ["official", "usual"].contains($0["use"] as? String ?? "") }
            ?? identifiers.firstIndex(where: usable)
        if let primary, let value = FHIRJSON.string(identifiers[primary]["value"]) {
            let authority = FHIRJSON.string(identifiers[primary]["system"]) ?? sourceSystem
            return (Identity(authority: authority, id: value, isFallback: false), primary)
        }
        if !isContained, let id = FHIRJSON.string(patient["id"]) {
            return (Identity(authority: sourceSystem, id: "Patient/" + id, isFallback: true), nil)
        }
        if !isContained, let fullUrl {
            switch FHIRReference(fullUrl) {
            case .urn, .absolute: return (Identity(authority: uriAuthority, id: fullUrl, isFallback: true), nil)
            default: break
            }
        }
        return nil
    }

    /// The identified patient with demographics: identifiers (with system as assigning authority), names,
    /// birth date, gender, addresses and telecoms.
    static func patient(from resource: FHIRJSON.Object, identity: Identity, primaryIndex: Int?) -> IdentifiedPatient {
        var identifiers: [PatientIdentifier] = []
        for (index, identifier) in FHIRJSON.objects(resource["identifier"]).enumerated() where index != primaryIndex {
            guard let value = FHIRJSON.string(identifier["value"]) else { continue }
            let type = FHIRJSON.objects(FHIRJSON.object(identifier["type"])?["coding"]).lazy
                .compactMap { FHIRJSON.string($0["code"]) }.first
            identifiers.append(
                PatientIdentifier(value: value, type: type, assigningAuthority: FHIRJSON.string(identifier["system"])))
        }
        let names = FHIRJSON.objects(resource["name"]).compactMap { name -> PersonName? in
            let given = FHIRJSON.array(name["given"]).compactMap { FHIRJSON.string($0) }
            let family = FHIRJSON.string(name["family"])
            let prefix = FHIRJSON.array(name["prefix"]).compactMap { FHIRJSON.string($0) }
            let suffix = FHIRJSON.array(name["suffix"]).compactMap { FHIRJSON.string($0) }
            guard family != nil || !given.isEmpty || FHIRJSON.string(name["text"]) != nil else { return nil }
            return PersonName(
                family: family ?? (given.isEmpty ? FHIRJSON.string(name["text"]) : nil), given: given,
                prefix: prefix.isEmpty ? nil : prefix.joined(separator: " "),
                suffix: suffix.isEmpty ? nil : suffix.joined(separator: " "), use: FHIRJSON.string(name["use"]))
        }
        let addresses = FHIRJSON.objects(resource["address"]).map { address in
            PostalAddress(
                lines: FHIRJSON.array(address["line"]).compactMap { FHIRJSON.string($0) },
                city: FHIRJSON.string(address["city"]), district: FHIRJSON.string(address["district"]),
                state: FHIRJSON.string(address["state"]), postalCode: FHIRJSON.string(address["postalCode"]),
                country: FHIRJSON.string(address["country"]))
        }
        let telecoms = FHIRJSON.objects(resource["telecom"]).compactMap { telecom -> ContactPoint? in
            guard let value = FHIRJSON.string(telecom["value"]) else { return nil }
            let system = (telecom["system"] as? String).flatMap(ContactPoint.System.init(rawValue:)) ?? .other
            return ContactPoint(system: system, value: value, use: FHIRJSON.string(telecom["use"]))
        }
        return IdentifiedPatient(
            assigningAuthority: identity.authority, patientID: identity.id, identifiers: identifiers, names: names,
            birthDate: (resource["birthDate"] as? String).flatMap(PartialDate.init(iso:)),
            sex: (resource["gender"] as? String).flatMap(AdministrativeSex.init(rawValue:)), addresses: addresses,
            telecoms: telecoms)
    }

    /// Elements of a Patient the mapping reads.
    static let mappedElements: Set<String> = ["identifier", "name", "telecom", "gender", "birthDate", "address"]
}
