// Views of HL7 composite data types. Each wraps an element and reads its parts one level down
// (`HL7Element.part`), so the same view reads a type in a field (components) or nested in a component
// (sub-components), e.g. the HD assigning authority inside CX-4. Text is decoded only when read.

/// Common to every data type view.
public protocol HL7DataTypeView: Sendable {
    var element: HL7Element { get }
    init(_ element: HL7Element)
}

extension HL7DataTypeView {
    /// Absent, null or the element's text (for a composite: with its delimiters).
    public var value: HL7Value { element.value }
    public var isEmpty: Bool { element.isEmpty }
    func partText(_ n: Int) -> String? { element.part(n).string }
}

/// HD: hierarchic designator (applications, facilities, assigning authorities).
public struct HL7HD: HL7DataTypeView {
    public let element: HL7Element
    public init(_ element: HL7Element) { self.element = element }
    public var namespaceID: String? { partText(1) }
    public var universalID: String? { partText(2) }
    public var universalIDType: String? { partText(3) }
}

/// CWE (also CE, CNE): a coded value with an optional alternate coding.
public struct HL7CWE: HL7DataTypeView {
    public let element: HL7Element
    public init(_ element: HL7Element) { self.element = element }
    public var identifier: String? { partText(1) }
    public var text: String? { partText(2) }
    public var codingSystem: String? { partText(3) }
    public var alternateIdentifier: String? { partText(4) }
    public var alternateText: String? { partText(5) }
    public var alternateCodingSystem: String? { partText(6) }
    public var codingSystemVersion: String? { partText(7) }
    public var alternateCodingSystemVersion: String? { partText(8) }
    public var originalText: String? { partText(9) }
}

/// CX: an identifier with its assigning authority and type (MRN, account, visit number).
public struct HL7CX: HL7DataTypeView {
    public let element: HL7Element
    public init(_ element: HL7Element) { self.element = element }
    public var id: String? { partText(1) }
    public var checkDigit: String? { partText(2) }
    public var assigningAuthority: HL7HD { HL7HD(element.part(4)) }
    /// HL7 table 0203: MR, PI, AN, VN, SS, ...
    public var identifierTypeCode: String? { partText(5) }
    public var assigningFacility: HL7HD { HL7HD(element.part(6)) }
}

/// XPN: a person name.
public struct HL7XPN: HL7DataTypeView {
    public let element: HL7Element
    public init(_ element: HL7Element) { self.element = element }
    /// FN.1, the surname (FN's other parts are prefixes and partner names).
    public var familyName: String? { element.part(1).part(1).string }
    public var givenName: String? { partText(2) }
    /// Second and further given names or initials.
    public var middleName: String? { partText(3) }
    public var suffix: String? { partText(4) }
    public var prefix: String? { partText(5) }
    public var degree: String? { partText(6) }
    /// HL7 table 0200: L (legal), D (display), M (maiden), ...
    public var nameTypeCode: String? { partText(7) }
}

/// XAD: an address.
public struct HL7XAD: HL7DataTypeView {
    public let element: HL7Element
    public init(_ element: HL7Element) { self.element = element }
    /// SAD.1, the street or mailing address line.
    public var street: String? { element.part(1).part(1).string }
    public var otherDesignation: String? { partText(2) }
    public var city: String? { partText(3) }
    public var stateOrProvince: String? { partText(4) }
    public var postalCode: String? { partText(5) }
    public var country: String? { partText(6) }
    /// HL7 table 0190: H (home), B (business), M (mailing), ...
    public var addressType: String? { partText(7) }
    public var countyCode: String? { partText(9) }
}

/// XTN: a telephone number or other telecom address.
public struct HL7XTN: HL7DataTypeView {
    public let element: HL7Element
    public init(_ element: HL7Element) { self.element = element }
    /// XTN.1, the free-form number (deprecated since v2.6 but what most senders fill).
    public var number: String? { partText(1) }
    /// HL7 table 0201: PRN, WPN, NET, ...
    public var useCode: String? { partText(2) }
    /// HL7 table 0202: PH, FX, CP, Internet, ...
    public var equipmentType: String? { partText(3) }
    public var communicationAddress: String? { partText(4) }
    public var countryCode: String? { partText(5) }
    public var areaCode: String? { partText(6) }
    public var localNumber: String? { partText(7) }
    public var `extension`: String? { partText(8) }
    public var unformattedNumber: String? { partText(12) }
}

/// XCN: a person with an identifier (providers, operators).
public struct HL7XCN: HL7DataTypeView {
    public let element: HL7Element
    public init(_ element: HL7Element) { self.element = element }
    public var id: String? { partText(1) }
    public var familyName: String? { element.part(2).part(1).string }
    public var givenName: String? { partText(3) }
    public var middleName: String? { partText(4) }
    public var suffix: String? { partText(5) }
    public var prefix: String? { partText(6) }
    public var degree: String? { partText(7) }
    public var assigningAuthority: HL7HD { HL7HD(element.part(9)) }
    public var nameTypeCode: String? { partText(10) }
    public var identifierTypeCode: String? { partText(13) }
}

/// PL: a patient location.
public struct HL7PL: HL7DataTypeView {
    public let element: HL7Element
    public init(_ element: HL7Element) { self.element = element }
    // Point of care, room and bed are HD since v2.7 (`4E&1.2&ISO`); their first part is the name.
    public var pointOfCare: String? { element.part(1).part(1).string }
    public var room: String? { element.part(2).part(1).string }
    public var bed: String? { element.part(3).part(1).string }
    public var facility: HL7HD { HL7HD(element.part(4)) }
    public var locationStatus: String? { partText(5) }
    public var personLocationType: String? { partText(6) }
    public var building: String? { partText(7) }
    public var floor: String? { partText(8) }
    public var locationDescription: String? { partText(9) }
}

/// EI: an entity identifier (order numbers).
public struct HL7EI: HL7DataTypeView {
    public let element: HL7Element
    public init(_ element: HL7Element) { self.element = element }
    public var entityIdentifier: String? { partText(1) }
    public var namespaceID: String? { partText(2) }
    public var universalID: String? { partText(3) }
    public var universalIDType: String? { partText(4) }
}

/// SN: a structured numeric (`>^250`, `^150^-^400`, `^1^:^128`).
public struct HL7SN: HL7DataTypeView {
    public let element: HL7Element
    public init(_ element: HL7Element) { self.element = element }
    /// `>`, `<`, `>=`, `<=`, `=`, `<>`; nil means `=`.
    public var comparator: String? { partText(1) }
    public var number1: String? { partText(2) }
    /// `-` (range), `+`, `/`, `.`, `:` (ratio).
    public var separatorOrSuffix: String? { partText(3) }
    public var number2: String? { partText(4) }
}

extension HL7Element {
    /// The first component read as a DTM; nil when absent, null or not a valid date/time.
    public var dateTime: HL7DateTime? {
        part(1).string.flatMap { HL7DateTime($0) }
    }
}
