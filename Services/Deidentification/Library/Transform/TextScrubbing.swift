import VigilPHI

/// What the free-text scrubber needs to know about the event's patient: the structured identifiers it must
/// always find, whatever patterns and dictionaries say.
public struct KnownIdentity: Sendable {
    public var names: [String]
    public var identifiers: [String]
    public var phones: [String]
    public var emails: [String]
    public var addressLines: [String]
    public var cities: [String]
    public var postalCodes: [String]
    public var birthDate: PartialDate?

    public init(_ patient: IdentifiedPatient) {
        names = patient.names.flatMap { [$0.family].compactMap { $0 } + $0.given }.filter { $0.count >= 2 }
        identifiers = [patient.patientID] + patient.identifiers.map(\.value)
        phones = patient.telecoms.filter { [.phone, .fax, .sms, .pager].contains($0.system) }.map(\.value)
        emails = patient.telecoms.filter { $0.system == .email }.map(\.value)
        addressLines = patient.addresses.flatMap(\.lines)
        cities = patient.addresses.compactMap(\.city)
        postalCodes = patient.addresses.compactMap(\.postalCode)
        birthDate = patient.birthDate
    }

    /// Every needle as text, for the egress gate.
    public var needles: [(kind: String, value: String)] {
        names.map { ("name", $0) } + identifiers.map { ("identifier", $0) } + phones.map { ("phone", $0) }
            + emails.map { ("email", $0) } + addressLines.map { ("address", $0) } + cities.map { ("city", $0) }
            + postalCodes.filter { $0.count >= 5 }.map { ("postal_code", $0) }
    }
}

/// Free text in, free text out with PHI replaced (`[NAME]`, shifted dates), plus counts by type.
public protocol TextScrubbing: Sendable {
    func scrub(_ text: String, known: KnownIdentity, shiftDays: Int) throws -> (text: String, spans: [String: Int])
}
