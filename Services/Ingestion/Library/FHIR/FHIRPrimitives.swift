import Foundation
import VigilModelCore

/// FHIR R4 primitive types and their lexical rules (the regexes of the R4 datatypes page, hand-written).
enum FHIRPrimitive: Sendable {
    case boolean, integer, positiveInt, unsignedInt, decimal
    case string, markdown, code, id, uri, url, canonical, oid, uuid, base64Binary
    case date, dateTime, instant, time, xhtml

    var name: String {
        switch self {
        case .boolean: "boolean"
        case .integer: "integer"
        case .positiveInt: "positiveInt"
        case .unsignedInt: "unsignedInt"
        case .decimal: "decimal"
        case .string: "string"
        case .markdown: "markdown"
        case .code: "code"
        case .id: "id"
        case .uri: "uri"
        case .url: "url"
        case .canonical: "canonical"
        case .oid: "oid"
        case .uuid: "uuid"
        case .base64Binary: "base64Binary"
        case .date: "date"
        case .dateTime: "dateTime"
        case .instant: "instant"
        case .time: "time"
        case .xhtml: "xhtml"
        }
    }

    /// Whether `text` is a lexically valid value of this (string-represented) type.
    func accepts(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return false }
        switch self {
        case .string, .markdown: return true
        case .code: return FHIRLexical.isCode(bytes)
        case .id: return FHIRLexical.isID(bytes)
        case .uri, .url, .canonical: return !bytes.contains(where: FHIRLexical.isSpace)
        case .oid: return FHIRLexical.isOID(bytes)
        case .uuid: return FHIRLexical.isUUIDURN(bytes)
        case .base64Binary: return bytes.allSatisfy(FHIRLexical.isBase64OrSpace)
        case .date: return FHIRLexical.date(bytes, allowTime: false, requireTime: false)
        case .dateTime: return FHIRLexical.date(bytes, allowTime: true, requireTime: false)
        case .instant: return FHIRLexical.date(bytes, allowTime: true, requireTime: true)
        case .time:
            var i = 0
            return FHIRLexical.clock(bytes, &i) && i == bytes.count
        case .xhtml:
            return bytes.drop(while: FHIRLexical.isSpace).starts(with: Array("<div".utf8))
        case .boolean, .integer, .positiveInt, .unsignedInt, .decimal: return false
        }
    }
}

enum FHIRLexical {
    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
    static func isDigit(_ b: UInt8) -> Bool { (48...57).contains(b) }
    static func isHex(_ b: UInt8) -> Bool { isDigit(b) || (65...70).contains(b) || (97...102).contains(b) }
    static func isAlnum(_ b: UInt8) -> Bool { isDigit(b) || (65...90).contains(b) || (97...122).contains(b) }

    static func isBase64OrSpace(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: "/") || b == UInt8(ascii: "=") || isSpace(b)
    }

    /// `[^\s]+(\s[^\s]+)*`
    static func isCode(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, let last = bytes.last, !isSpace(first), !isSpace(last) else { return false }
        for i in 1..<bytes.count where isSpace(bytes[i]) && isSpace(bytes[i - 1]) { return false }
        return true
    }

    /// `[A-Za-z0-9\-\.]{1,64}`
    static func isID(_ bytes: some Collection<UInt8>) -> Bool {
        (1...64).contains(bytes.count)
            && bytes.allSatisfy { isAlnum($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// `urn:uuid:` + 8-4-4-4-12 hex digits (either case: fullUrl is a uri, and RFC 4122 reads both).
    static func isUUIDURN(_ bytes: [UInt8]) -> Bool {
        let prefix = Array("urn:uuid:".utf8)
        guard bytes.count == prefix.count + 36, bytes.starts(with: prefix) else { return false }
        for (offset, b) in bytes.dropFirst(prefix.count).enumerated() {
            if [8, 13, 18, 23].contains(offset) {
                guard b == UInt8(ascii: "-") else { return false }
            } else if !isHex(b) {
                return false
            }
        }
        return true
    }

    /// `urn:oid:[0-2](\.(0|[1-9][0-9]*))+`
    static func isOID(_ bytes: [UInt8]) -> Bool {
        let prefix = Array("urn:oid:".utf8)
        guard bytes.starts(with: prefix) else { return false }
        let arcs = bytes.dropFirst(prefix.count).split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard arcs.count >= 2, let first = arcs.first, first.count == 1, (48...50).contains(first[first.startIndex])
        else { return false }
        return arcs.dropFirst().allSatisfy { arc in
            !arc.isEmpty && arc.allSatisfy(isDigit) && (arc.count == 1 || arc[arc.startIndex] != UInt8(ascii: "0"))
        }
    }

    /// FHIR date / dateTime / instant: `YYYY(-MM(-DD(Thh:mm:ss(.f+)?(Z|±hh:mm))?)?)?`.
    static func date(_ b: [UInt8], allowTime: Bool, requireTime: Bool) -> Bool {
        var i = 0
        guard let year = digits(b, &i, 4), year > 0 else { return false }
        if i == b.count { return !requireTime }
        guard take(b, &i, "-"), let month = digits(b, &i, 2), (1...12).contains(month) else { return false }
        if i == b.count { return !requireTime }
        guard take(b, &i, "-"), let day = digits(b, &i, 2), (1...daysIn(month, year)).contains(day) else {
            return false
        }
        if i == b.count { return !requireTime }
        guard allowTime, take(b, &i, "T"), clock(b, &i) else { return false }
        if take(b, &i, "Z") { return i == b.count }
        guard i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return false }
        i += 1
        guard let oh = digits(b, &i, 2), take(b, &i, ":"), let om = digits(b, &i, 2), oh <= 14, om < 60 else {
            return false
        }
        return i == b.count
    }

    /// `YYYY-MM-DDThh:mm:ss(.f+)?` with no zone: the commonest defect of FHIR date-times.
    static func isZonelessDateTime(_ text: String) -> Bool {
        let b = Array(text.utf8)
        var i = 0
        guard digits(b, &i, 4) != nil, take(b, &i, "-"), digits(b, &i, 2) != nil, take(b, &i, "-"),
            digits(b, &i, 2) != nil, take(b, &i, "T"), clock(b, &i)
        else { return false }
        return i == b.count
    }

    /// `hh:mm:ss(.f+)?`
    static func clock(_ b: [UInt8], _ i: inout Int) -> Bool {
        guard let h = digits(b, &i, 2), h < 24, take(b, &i, ":"), let m = digits(b, &i, 2), m < 60,
            take(b, &i, ":"), let s = digits(b, &i, 2), s <= 60
        else { return false }
        if take(b, &i, ".") {
            let start = i
            while i < b.count, isDigit(b[i]) { i += 1 }
            return i > start
        }
        return true
    }

    static func take(_ b: [UInt8], _ i: inout Int, _ char: Unicode.Scalar) -> Bool {
        guard i < b.count, b[i] == UInt8(ascii: char) else { return false }
        i += 1
        return true
    }

    static func digits(_ b: [UInt8], _ i: inout Int, _ count: Int) -> Int? {
        guard i + count <= b.count else { return nil }
        var value = 0
        for byte in b[i..<i + count] {
            guard isDigit(byte) else { return nil }
            value = value * 10 + Int(byte - 48)
        }
        i += count
        return value
    }

    static func daysIn(_ month: Int, _ year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }
}

/// FHIR times as `Date`s.
enum FHIRTime {
    /// A parsed FHIR date/dateTime/instant. `isPrecise` is false for partial dates (`2016`, `2016-03`,
    /// `2016-03-28`), which map to the start of the period in UTC.
    struct Parsed {
        let date: Date
        let isPrecise: Bool
    }

    static func parse(_ text: String?) -> Parsed? {
        guard let text, FHIRPrimitive.dateTime.accepts(text) else { return nil }
        if text.utf8.count > 10 {
            return Timestamp.parse(text).map { Parsed(date: $0, isPrecise: true) }
        }
        var padded = text
        if padded.utf8.count == 4 { padded += "-01" }
        if padded.utf8.count == 7 { padded += "-01" }
        return Timestamp.parse(padded + "T00:00:00Z").map { Parsed(date: $0, isPrecise: false) }
    }
}
