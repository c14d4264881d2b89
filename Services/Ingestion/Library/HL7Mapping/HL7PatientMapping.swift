import VigilHL7
import VigilModelCore
import VigilPHI

/// PID → `IdentifiedPatient`.
///
/// Identity (what the pseudonym derives from): the first PID-3 repetition typed `MR` (CX-5), else the first
/// with an id; before v2.3.1 some senders fill only PID-2, used as a fallback (defaulted). The assigning
/// authority is CX-4 (namespace id, else universal id), else CX-6 (assigning facility), else the message's
/// source system (defaulted): an id without an authority is only unique within its sender.
///
/// Further identifiers: the other PID-3 repetitions, PID-2, PID-4 (alternate ids), PID-19 (SSN, type `SS`)
/// and PID-20 (driver's licence, type `DL`, issuing state as authority). Demographics: names (PID-5), birth
/// date (PID-7, at the precision sent), sex (PID-8, table 0001), addresses (PID-11), home and business phones
/// (PID-13, PID-14). All of it is PHI: de-identification removes or pseudonymises it.
extension HL7MappingRun {
    mutating func mapPatient(_ segment: HL7Segment) throws(HL7MappingError) -> IdentifiedPatient {
        let pid = PIDSegment(unchecked: segment)
        let index = segment.index
        let candidates = pid.identifiers.filter { $0.id.hl7NonEmpty != nil }
        var primary = candidates.first { $0.identifierTypeCode.hl7NonEmpty?.uppercased() == "MR" } ?? candidates.first
        var primaryField = 3
        if primary == nil, pid.externalID.id.hl7NonEmpty != nil {
            primary = pid.externalID
            primaryField = 2
            note(index, "PID-2", .defaulted, "PID-3 has no identifier; PID-2 (external id) used")
        }
        guard let primary, let patientID = primary.id.hl7NonEmpty else {
            throw HL7MappingError(
                .validationFailed, "PID-3 has no patient identifier", segmentID: "PID", segmentIndex: index + 1,
                field: 3, component: 1)
        }
        let authority: String
        if let assigned = Self.authority(of: primary) {
            authority = assigned
        } else {
            authority = sourceSystem.isEmpty ? Self.unknownSender : sourceSystem
            note(index, "PID-\(primaryField).4", .defaulted, "no assigning authority; source system used")
        }
        note(index, "PID-\(primaryField)", .mapped, "patient identifier")

        var identifiers: [PatientIdentifier] = []
        func add(_ cx: HL7CX, type: String? = nil) {
            guard let value = cx.id.hl7NonEmpty, cx.element.byteRange != primary.element.byteRange else { return }
            identifiers.append(
                PatientIdentifier(
                    value: value, type: type ?? cx.identifierTypeCode.hl7NonEmpty, assigningAuthority: Self.authority(of: cx)))
        }
        for cx in pid.identifiers { add(cx) }
        add(pid.externalID)
        for cx in pid.segment.field(4).repetitions.map(HL7CX.init) { add(cx) }
        if let ssn = pid.string(19).hl7NonEmpty {
            identifiers.append(PatientIdentifier(value: ssn, type: "SS"))
            note(index, "PID-19", .mapped, "social security number (identifier, for de-identification)")
        }
        if let licence = pid.string(20, 1).hl7NonEmpty {
            identifiers.append(
                PatientIdentifier(value: licence, type: "DL", assigningAuthority: pid.string(20, 2).hl7NonEmpty))
            note(index, "PID-20", .mapped, "driver's licence (identifier, for de-identification)")
        }

        let names = pid.names.compactMap(Self.name)
        if !names.isEmpty { note(index, "PID-5", .mapped, "patient names") }
        var birthDate: PartialDate?
        if let text = pid.string(7, 1).hl7NonEmpty {
            if let dt = HL7DateTime(text), let date = PartialDate(year: dt.year, month: dt.month, day: dt.day) {
                birthDate = date
                note(index, "PID-7", .mapped, "birth date at the precision sent")
            } else {
                note(index, "PID-7", .ignored, "not a valid date")
            }
        }
        var sex: AdministrativeSex?
        if let code = pid.administrativeSex.hl7NonEmpty {
            sex = Self.sexes[code.uppercased()]
            note(index, "PID-8", sex == nil ? .ignored : .mapped, sex == nil ? "not in HL7 table 0001" : "administrative sex")
        }
        let addresses = pid.addresses.compactMap(Self.address)
        if !addresses.isEmpty { note(index, "PID-11", .mapped, "addresses") }
        let home = pid.homePhones.compactMap { Self.contact($0, defaultUse: "home") }
        let work = pid.businessPhones.compactMap { Self.contact($0, defaultUse: "work") }
        if !home.isEmpty { note(index, "PID-13", .mapped, "home contact points") }
        if !work.isEmpty { note(index, "PID-14", .mapped, "business contact points") }
        return IdentifiedPatient(
            assigningAuthority: authority, patientID: patientID, identifiers: identifiers, names: names,
            birthDate: birthDate, sex: sex, addresses: addresses, telecoms: home + work)
    }

    static func authority(of cx: HL7CX) -> String? {
        cx.assigningAuthority.namespaceID.hl7NonEmpty ?? cx.assigningAuthority.universalID.hl7NonEmpty
            ?? cx.assigningFacility.namespaceID.hl7NonEmpty ?? cx.assigningFacility.universalID.hl7NonEmpty
    }

    static let sexes: [String: AdministrativeSex] = [
        "F": .female, "M": .male, "O": .other, "A": .other, "N": .other, "X": .other, "U": .unknown,
    ]

    /// HL7 table 0200 name type → FHIR NameUse.
    static let nameUses: [String: String] = [
        "L": "official", "D": "usual", "M": "maiden", "N": "nickname", "A": "usual", "S": "anonymous",
        "T": "temp", "BAD": "old",
    ]

    static func name(_ xpn: HL7XPN) -> PersonName? {
        let given = [xpn.givenName, xpn.middleName].compactMap { $0.hl7NonEmpty }
        let family = xpn.familyName.hl7NonEmpty
        guard family != nil || !given.isEmpty else { return nil }
        let suffix = [xpn.suffix, xpn.degree].compactMap { $0.hl7NonEmpty }
        return PersonName(
            family: family, given: given, prefix: xpn.prefix.hl7NonEmpty,
            suffix: suffix.isEmpty ? nil : suffix.joined(separator: " "),
            use: xpn.nameTypeCode.hl7NonEmpty.flatMap { nameUses[$0.uppercased()] })
    }

    static func address(_ xad: HL7XAD) -> PostalAddress? {
        let lines = [xad.street, xad.otherDesignation].compactMap { $0.hl7NonEmpty }
        let address = PostalAddress(
            lines: lines, city: xad.city.hl7NonEmpty, district: xad.countyCode.hl7NonEmpty,
            state: xad.stateOrProvince.hl7NonEmpty, postalCode: xad.postalCode.hl7NonEmpty,
            country: xad.country.hl7NonEmpty)
        return address == PostalAddress() ? nil : address
    }

    /// XTN → contact point: XTN-1 as sent, else XTN-4 (e-mail), else the number from its parts.
    static func contact(_ xtn: HL7XTN, defaultUse: String) -> ContactPoint? {
        let parts = [xtn.countryCode, xtn.areaCode, xtn.localNumber].compactMap { $0.hl7NonEmpty }
        let composed = xtn.localNumber.hl7NonEmpty == nil ? nil : parts.joined(separator: " ")
        let equipment = xtn.equipmentType.hl7NonEmpty?.uppercased()
        let isEmail = equipment == "INTERNET" || equipment == "X.400"
        guard let value = isEmail ? xtn.communicationAddress.hl7NonEmpty ?? xtn.number.hl7NonEmpty
            : xtn.number.hl7NonEmpty ?? composed ?? xtn.communicationAddress.hl7NonEmpty
        else { return nil }
        let system: ContactPoint.System =
            switch equipment {
            case "FX": .fax
            case "BP": .pager
            case "INTERNET", "X.400": .email
            default: .phone
            }
        let use: String? =
            switch (xtn.useCode.hl7NonEmpty?.uppercased(), equipment) {
            case (_, "CP"): "mobile"
            case ("PRN", _), ("ORN", _), ("VHN", _): "home"
            case ("WPN", _): "work"
            case ("EMR", _): "temp"
            default: defaultUse
            }
        return ContactPoint(system: system, value: value, use: use)
    }
}
