/// A code from a terminology (FHIR `Coding` shape): LOINC for vitals and labs, UCUM for units.
public struct Coding: Hashable, Sendable, Codable {
    /// The code system URI.
    public var system: String
    public var code: String
    public var display: String?

    public init(system: String, code: String, display: String? = nil) {
        self.system = system
        self.code = code
        self.display = display
    }

    /// Canonical code system URIs (as FHIR R4 names them).
    public enum System {
        public static let loinc = "http://loinc.org"
        public static let ucum = "http://unitsofmeasure.org"
        public static let snomedCT = "http://snomed.info/sct"
    }

    public static func loinc(_ code: String, display: String? = nil) -> Coding {
        Coding(system: System.loinc, code: code, display: display)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        system = try container.decode(String.self, forKey: .system)
        code = try container.decode(String.self, forKey: .code)
        display = try container.decodeIfPresent(String.self, forKey: .display)
        for (key, text) in [(CodingKeys.system, system), (.code, code)] where text.isEmpty {
            throw ModelCoreError(.invalidPayload, reason: "must not be empty").at(decoder.codingPath + [key])
        }
    }

    private enum CodingKeys: String, CodingKey {
        case system, code, display
    }
}

/// The value of a clinical event.
///
/// JSON: `{"type":"quantity","value":72,"unit":"/min"}`, `{"type":"text","text":"…"}`,
/// `{"type":"coded","coding":{…}}`.
public enum EventValue: Hashable, Sendable, Codable {
    /// A measurement; `unit` is a UCUM code (e.g. `mm[Hg]`, `/min`, `Cel`, `%`).
    case quantity(value: Double, unit: String)
    case text(String)
    case coded(Coding)

    private enum CodingKeys: String, CodingKey {
        case type, value, unit, text, coding
    }

    private enum Kind: String, Codable {
        case quantity, text, coded
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(Kind.self, forKey: .type) {
        case .quantity:
            let value = try container.decode(Double.self, forKey: .value)
            guard value.isFinite else {
                throw ModelCoreError(.invalidPayload, reason: "non-finite quantity")
                    .at(decoder.codingPath + [CodingKeys.value])
            }
            self = .quantity(value: value, unit: try container.decode(String.self, forKey: .unit))
        case .text:
            self = .text(try container.decode(String.self, forKey: .text))
        case .coded:
            self = .coded(try container.decode(Coding.self, forKey: .coding))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .quantity(let value, let unit):
            guard value.isFinite else {
                throw ModelCoreError(.invalidPayload, reason: "non-finite quantity")
                    .at(encoder.codingPath + [CodingKeys.value])
            }
            try container.encode(Kind.quantity, forKey: .type)
            try container.encode(value, forKey: .value)
            try container.encode(unit, forKey: .unit)
        case .text(let text):
            try container.encode(Kind.text, forKey: .type)
            try container.encode(text, forKey: .text)
        case .coded(let coding):
            try container.encode(Kind.coded, forKey: .type)
            try container.encode(coding, forKey: .coding)
        }
    }
}
