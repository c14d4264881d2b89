import VigilModelCore

/// HL7 v2 coding system names (table 0396, plus common variants) → code system URIs as FHIR R4 names them.
///
/// A name not in the table is a local system: `urn:vigil:local:<name>` with the name percent-encoded, so
/// codes keep their own system instead of being mistaken for a standard one. A code without a coding system
/// gets `urn:vigil:local:unspecified`.
public enum HL7CodingSystems {
    public static let localPrefix = "urn:vigil:local:"
    public static let unspecified = localPrefix + "unspecified"

    static let known: [String: String] = [
        "LN": Coding.System.loinc, "LOINC": Coding.System.loinc,
        "SCT": Coding.System.snomedCT, "SNOMEDCT": Coding.System.snomedCT, "SNOMED-CT": Coding.System.snomedCT,
        "UCUM": Coding.System.ucum,
        "I10": "http://hl7.org/fhir/sid/icd-10", "ICD10": "http://hl7.org/fhir/sid/icd-10",
        "I10C": "http://hl7.org/fhir/sid/icd-10-cm", "ICD10CM": "http://hl7.org/fhir/sid/icd-10-cm",
        "I9": "http://hl7.org/fhir/sid/icd-9-cm", "I9C": "http://hl7.org/fhir/sid/icd-9-cm",
        "I9CM": "http://hl7.org/fhir/sid/icd-9-cm",
        "C4": "http://www.ama-assn.org/go/cpt", "CPT": "http://www.ama-assn.org/go/cpt",
        "RXNORM": "http://www.nlm.nih.gov/research/umls/rxnorm",
        "NDC": "http://hl7.org/fhir/sid/ndc",
        "CVX": "http://hl7.org/fhir/sid/cvx",
    ]

    /// Whether the name is LOINC (`LN`, `LOINC`, any case).
    public static func isLOINC(_ name: String?) -> Bool {
        guard let name else { return false }
        let upper = name.hl7Trimmed.uppercased()
        return upper == "LN" || upper == "LOINC"
    }

    /// The URI for an HL7 coding system name, and whether it is a known (non-local) system.
    public static func uri(for name: String?) -> (uri: String, isKnown: Bool) {
        guard let name = name?.hl7Trimmed, !name.isEmpty else { return (unspecified, false) }
        let upper = name.uppercased()
        if let uri = known[upper] { return (uri, true) }
        // HL7-defined tables: HL70078, HL7 0078.
        if upper.hasPrefix("HL7") {
            let digits = upper.dropFirst(3).filter { $0 != " " }
            if digits.count == 4, digits.allSatisfy({ $0.isASCII && $0.isNumber }) {
                return ("http://terminology.hl7.org/CodeSystem/v2-" + digits, true)
            }
        }
        return (localPrefix + percentEncoded(name), false)
    }

    /// Unreserved URI characters kept, everything else percent-encoded (UTF-8).
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0xF)])
            }
        }
        return out
    }
}

extension String {
    /// Without leading and trailing ASCII spaces and tabs (HL7 senders pad fields).
    var hl7Trimmed: String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }) else { return "" }
        let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })!
        return String(scalars[first...last])
    }

    /// nil when empty after trimming.
    var hl7NonEmpty: String? {
        let text = hl7Trimmed
        return text.isEmpty ? nil : text
    }
}

extension Optional where Wrapped == String {
    var hl7NonEmpty: String? { self.flatMap { $0.hl7NonEmpty } }
}
