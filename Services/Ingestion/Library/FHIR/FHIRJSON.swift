import Foundation

/// Reading the `Any` tree `JSONSerialization` produces.
///
/// On Linux, JSON numbers arrive as `NSNumber` (booleans as the boolean `NSNumber`, whose Objective-C type
/// is `c`), long decimals as `NSDecimalNumber`, `null` as `NSNull`.
enum FHIRJSON {
    typealias Object = [String: Any]

    enum Kind {
        case object, array, string, boolean, integer, decimal, null, other
    }

    static func kind(of value: Any) -> Kind {
        if value is Object { return .object }
        if value is [Any] { return .array }
        if value is String { return .string }
        if let number = value as? NSNumber {
            switch number.objCType.pointee {
            case 0x63: return .boolean  // "c"
            case 0x64, 0x66: return .decimal  // "d", "f"
            default: return .integer
            }
        }
        if value is NSNull { return .null }
        return .other
    }

    /// Whether the value is JSON `null`. Containers and strings are ruled out first: casting a Swift
    /// dictionary or array to a class type (`NSNull`, `NSNumber`) bridges the whole subtree to Foundation.
    static func isNull(_ value: Any) -> Bool {
        if value is Object || value is [Any] || value is String { return false }
        return value is NSNull
    }

    /// The value as an `NSNumber` (boolean or number), without bridging containers or strings.
    static func nsNumber(_ value: Any?) -> NSNumber? {
        guard let value, !(value is Object), !(value is [Any]), !(value is String) else { return nil }
        return value as? NSNumber
    }

    static func isBoolean(_ value: Any) -> Bool {
        nsNumber(value)?.objCType.pointee == 0x63
    }

    /// A JSON number that is not a boolean, as a Double.
    static func number(_ value: Any?) -> Double? {
        guard let number = nsNumber(value), number.objCType.pointee != 0x63 else { return nil }
        return number.doubleValue
    }

    static func bool(_ value: Any?) -> Bool? {
        guard let number = nsNumber(value), number.objCType.pointee == 0x63 else { return nil }
        return number.boolValue
    }

    static func string(_ value: Any?) -> String? {
        guard let text = value as? String, !text.isEmpty else { return nil }
        return text
    }

    static func object(_ value: Any?) -> Object? { value as? Object }

    static func array(_ value: Any?) -> [Any] { (value as? [Any]) ?? [] }

    static func objects(_ value: Any?) -> [Object] { array(value).compactMap { $0 as? Object } }

    /// `CodeableConcept.coding` entries with both a system and a code.
    static func codings(_ concept: Object?) -> [(system: String, code: String, display: String?)] {
        objects(concept?["coding"]).compactMap { coding in
            guard let system = string(coding["system"]), let code = string(coding["code"]) else { return nil }
            return (system, code, string(coding["display"]))
        }
    }

    /// Whether an `NSDecimalNumber` respects FHIR's decimal bounds: at most 18 significant digits and at
    /// most 18 digits before the point (the limits the FHIR decimal regex publishes; R4's own regex is
    /// unbounded, which no implementation honours). Plain `NSNumber` doubles always fit.
    static func decimalWithinBounds(_ value: Any) -> Bool {
        guard let decimal = nsNumber(value) as? NSDecimalNumber else { return true }
        var integerDigits = 0  // digits before the point, leading zeros not counted
        var significant = 0
        var pendingZeros = 0
        var started = false
        var seenPoint = false
        for byte in decimal.description(withLocale: nil).utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if !seenPoint && (started || byte != UInt8(ascii: "0")) { integerDigits += 1 }
                if byte == UInt8(ascii: "0") {
                    if started { pendingZeros += 1 }
                } else {
                    significant += pendingZeros + 1
                    pendingZeros = 0
                    started = true
                }
            case UInt8(ascii: "."): seenPoint = true
            case UInt8(ascii: "-"): continue
            default: return false  // exponent or NaN forms: reject rather than guess
            }
        }
        return significant <= 18 && integerDigits <= 18
    }
}

/// Element names in diagnostics and coverage. JSON keys come from the sender, so only keys shaped like FHIR
/// element names (ASCII, starting with a lower-case letter or `_`, at most 64 characters) are echoed; anything
/// else — including capitalised words such as a surname used as a key — is replaced. Resource type names are
/// checked against the R4 list before they are echoed.
enum FHIRNames {
    static func safe(_ key: String) -> String {
        let bytes = key.utf8
        guard (1...64).contains(bytes.count), let first = bytes.first,
            (97...122).contains(first) || first == UInt8(ascii: "_"),
            bytes.allSatisfy({ isLetter($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") })
        else { return "(unnamed)" }
        return key
    }

    /// A resource type name, echoed only when it is an R4 type.
    static func safeType(_ name: String) -> String {
        FHIRResources.allTypes.contains(name) ? name : "(unknown type)"
    }

    private static func isLetter(_ b: UInt8) -> Bool { (65...90).contains(b) || (97...122).contains(b) }
    private static func isDigit(_ b: UInt8) -> Bool { (48...57).contains(b) }
}
