/// A character set from MSH-18 (HL7 table 0211), as far as this module decodes it.
///
/// Decoding never fails once a message has parsed: parsing checks the bytes against the declared set, and
/// the only bytes added later are `\Xhh\` escapes, which are read as ISO-8859-1 where they do not form valid
/// UTF-8 (python-hl7 and many senders escape Latin-1 code points that way).
public enum HL7Charset: String, Hashable, Sendable, CaseIterable {
    /// `ASCII` (also `ISO IR6`): bytes above 0x7F are an `encoding_error`.
    case ascii
    /// `UNICODE UTF-8` (also `UNICODE`, `UTF-8`). Invalid UTF-8 is an `encoding_error`.
    case utf8
    /// `8859/1` (also `ISO IR100`, `ISO-8859-1`, `LATIN1`): every byte is a character.
    case iso8859_1
    /// Not an HL7 table 0211 value; for feeds known to send Windows code page 1252 (set it in the options).
    case windows1252

    /// Maps an MSH-18 value; nil for sets this module does not decode (e.g. `8859/2`, `ISO IR87`, `UNICODE UTF-16`).
    public init?(hl7Name: some StringProtocol) {
        let name = hl7Name.uppercased().trimmingSpaces
        switch name {
        case "ASCII", "ISO IR6", "US-ASCII": self = .ascii
        case "UNICODE UTF-8", "UTF-8", "UTF8", "UNICODE": self = .utf8
        case "8859/1", "ISO IR100", "ISO-8859-1", "ISO8859-1", "LATIN1", "LATIN-1": self = .iso8859_1
        case "WINDOWS-1252", "CP1252": self = .windows1252
        default: return nil
        }
    }

    /// The MSH-18 spelling (HL7 table 0211); `windows1252` has none and uses its IANA name.
    public var hl7Name: String {
        switch self {
        case .ascii: "ASCII"
        case .utf8: "UNICODE UTF-8"
        case .iso8859_1: "8859/1"
        case .windows1252: "WINDOWS-1252"
        }
    }

    /// Decodes bytes already checked by the parser (plus any `\Xhh\` bytes); never fails.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        switch self {
        case .ascii, .utf8:
            if UTF8Check.firstInvalid(bytes) == nil { return String(decoding: bytes, as: UTF8.self) }
            return Self.decodeUTF8FallingBackToLatin1(bytes)
        case .iso8859_1:
            return Self.decodeSingleByte(bytes) { UInt32($0) }
        case .windows1252:
            return Self.decodeSingleByte(bytes) { byte in
                (0x80...0x9F).contains(byte) ? Self.cp1252High[Int(byte - 0x80)] : UInt32(byte)
            }
        }
    }

    /// Decodes bytes of a parsed message that no escape has touched: parsing already checked them, so
    /// UTF-8 and ASCII skip the second check.
    func decodeChecked(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        switch self {
        case .ascii, .utf8: String(decoding: bytes, as: UTF8.self)
        case .iso8859_1, .windows1252: decode(bytes)
        }
    }

    private static func decodeSingleByte(_ bytes: UnsafeBufferPointer<UInt8>, _ map: (UInt8) -> UInt32) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 3) { out in
            var n = 0
            for byte in bytes { n += appendUTF8(map(byte), to: out, at: n) }
            return n
        }
    }

    private static func decodeUTF8FallingBackToLatin1(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            var n = 0
            var i = 0
            while i < bytes.count {
                let length = UTF8Check.sequenceLength(bytes, at: i)
                if length == 0 {
                    n += appendUTF8(UInt32(bytes[i]), to: out, at: n)
                    i += 1
                } else {
                    for k in 0..<length { out[n + k] = bytes[i + k] }
                    n += length
                    i += length
                }
            }
            return n
        }
    }

    /// Writes a scalar below U+10000 as UTF-8; returns the byte count.
    private static func appendUTF8(_ scalar: UInt32, to out: UnsafeMutableBufferPointer<UInt8>, at n: Int) -> Int {
        switch scalar {
        case 0..<0x80:
            out[n] = UInt8(scalar)
            return 1
        case 0x80..<0x800:
            out[n] = UInt8(0xC0 | (scalar >> 6))
            out[n + 1] = UInt8(0x80 | (scalar & 0x3F))
            return 2
        default:
            out[n] = UInt8(0xE0 | (scalar >> 12))
            out[n + 1] = UInt8(0x80 | ((scalar >> 6) & 0x3F))
            out[n + 2] = UInt8(0x80 | (scalar & 0x3F))
            return 3
        }
    }

    /// Code page 1252 at 0x80...0x9F; its five unassigned bytes map to the C1 controls, as WHATWG does.
    private static let cp1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
        0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
        0x0153, 0x9D, 0x017E, 0x0178,
    ]
}

enum UTF8Check {
    /// Index of the first byte that does not start a valid UTF-8 sequence, or nil if all are valid.
    static func firstInvalid(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var i = 0
        let count = bytes.count
        while i < count {
            // Skip ASCII eight bytes at a time: most HL7 is ASCII.
            if let base = bytes.baseAddress, i + 8 <= count {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 {
                    i += 8
                    continue
                }
            }
            if bytes[i] < 0x80 {
                i += 1
                continue
            }
            let length = sequenceLength(bytes, at: i)
            if length == 0 { return i }
            i += length
        }
        return nil
    }

    /// Length of the well-formed UTF-8 sequence at `i` (Unicode table 3-7), or 0 if there is none.
    @inline(__always)
    static func sequenceLength(_ bytes: UnsafeBufferPointer<UInt8>, at i: Int) -> Int {
        let lead = bytes[i]
        if lead < 0x80 { return 1 }
        func cont(_ k: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
            i + k < bytes.count && range.contains(bytes[i + k])
        }
        switch lead {
        case 0xC2...0xDF: return cont(1) ? 2 : 0
        case 0xE0: return cont(1, 0xA0...0xBF) && cont(2) ? 3 : 0
        case 0xE1...0xEC, 0xEE...0xEF: return cont(1) && cont(2) ? 3 : 0
        case 0xED: return cont(1, 0x80...0x9F) && cont(2) ? 3 : 0
        case 0xF0: return cont(1, 0x90...0xBF) && cont(2) && cont(3) ? 4 : 0
        case 0xF1...0xF3: return cont(1) && cont(2) && cont(3) ? 4 : 0
        case 0xF4: return cont(1, 0x80...0x8F) && cont(2) && cont(3) ? 4 : 0
        default: return 0
        }
    }

    /// True if no byte is above 0x7F.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var acc: UInt8 = 0
        for byte in bytes { acc |= byte }
        return acc < 0x80
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var view = Substring(self)
        while view.first == " " { view.removeFirst() }
        while view.last == " " { view.removeLast() }
        return String(view)
    }
}
