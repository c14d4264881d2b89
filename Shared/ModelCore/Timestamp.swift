import Foundation

/// RFC 3339 timestamps as Vigil writes them: UTC, millisecond precision (`2024-05-01T12:34:56.789Z`).
///
/// Hand-written rather than `ISO8601FormatStyle` so the output is byte-identical on every platform and
/// a decoded `Date` equals the one that was encoded: all times are first rounded to whole milliseconds.
public enum Timestamp {
    /// The date rounded to the nearest millisecond — the precision every Vigil value stores.
    public static func normalized(_ date: Date) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds(date)) / 1000)
    }

    /// `YYYY-MM-DDTHH:MM:SS.sssZ`, or nil outside years 0000–9999.
    public static func format(_ date: Date) -> String? {
        let ms = milliseconds(date)
        let (days, msOfDay) = floorDivide(ms, 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        guard (0...9999).contains(year) else { return nil }
        let seconds = Int(msOfDay / 1000)
        // Written digit by digit: every event carries two timestamps, and string concatenation showed up.
        var out = [UInt8](repeating: 0, count: 24)
        func put(_ value: Int, _ width: Int, at start: Int) {
            var value = value
            for index in stride(from: start + width - 1, through: start, by: -1) {
                out[index] = UInt8(ascii: "0") + UInt8(value % 10)
                value /= 10
            }
        }
        put(Int(year), 4, at: 0)
        put(Int(month), 2, at: 5)
        put(Int(day), 2, at: 8)
        put(seconds / 3600, 2, at: 11)
        put(seconds / 60 % 60, 2, at: 14)
        put(seconds % 60, 2, at: 17)
        put(Int(msOfDay % 1000), 3, at: 20)
        for (index, separator) in [(4, "-"), (7, "-"), (10, "T"), (13, ":"), (16, ":"), (19, "."), (23, "Z")] {
            out[index] = UInt8(ascii: Unicode.Scalar(separator)!)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Parses RFC 3339 `date-time`: any number of fraction digits (rounded to ms), `Z` or `±HH:MM`.
    public static func parse(_ text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.digits(4), scanner.take(UInt8(ascii: "-")),
            let month = scanner.digits(2), scanner.take(UInt8(ascii: "-")),
            let day = scanner.digits(2), scanner.take(UInt8(ascii: "T")) || scanner.take(UInt8(ascii: "t")),
            let hour = scanner.digits(2), scanner.take(UInt8(ascii: ":")),
            let minute = scanner.digits(2), scanner.take(UInt8(ascii: ":")),
            let second = scanner.digits(2)
        else { return nil }
        guard (1...12).contains(month), (1...daysIn(month: month, year: year)).contains(day), hour < 24,
            minute < 60, second <= 60
        else { return nil }
        var millis: Int64 = 0
        if scanner.take(UInt8(ascii: ".")) {
            guard let fraction = scanner.fractionMilliseconds() else { return nil }
            millis = fraction
        }
        var offsetMinutes = 0
        if scanner.take(UInt8(ascii: "Z")) || scanner.take(UInt8(ascii: "z")) {
            offsetMinutes = 0
        } else if let sign = scanner.sign(), let oh = scanner.digits(2), scanner.take(UInt8(ascii: ":")),
            let om = scanner.digits(2), oh < 24, om < 60
        {
            offsetMinutes = sign * (oh * 60 + om)
        } else {
            return nil
        }
        guard scanner.atEnd else { return nil }
        let days = Int64(daysFromCivil(year: year, month: month, day: day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        return Date(timeIntervalSince1970: Double(seconds * 1000 + millis) / 1000)
    }

    static func milliseconds(_ date: Date) -> Int64 {
        let ms = (date.timeIntervalSince1970 * 1000).rounded()
        // Clamp instead of trapping on absurd (or NaN) dates; such dates fail `format` anyway.
        guard !ms.isNaN else { return 9_000_000_000_000_000 }
        return Int64(max(min(ms, 9e15), -9e15))
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        let q = a / b
        let r = a % b
        return r < 0 ? (q - 1, r + b) : (q, r)
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian, days since 1970-01-01).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = Int(days) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }

        mutating func take(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[index..<index + count] {
                guard (48...57).contains(byte) else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            index += count
            return value
        }

        mutating func sign() -> Int? {
            if take(UInt8(ascii: "+")) { return 1 }
            if take(UInt8(ascii: "-")) { return -1 }
            return nil
        }

        /// One or more digits after the point, as milliseconds rounded half up.
        mutating func fractionMilliseconds() -> Int64? {
            let start = index
            var ms: Int64 = 0
            var roundUp = false
            while index < bytes.count, (48...57).contains(bytes[index]) {
                let digit = Int64(bytes[index] - 48)
                let position = index - start
                if position < 3 {
                    ms = ms * 10 + digit
                } else if position == 3 {
                    roundUp = digit >= 5
                }
                index += 1
            }
            let count = index - start
            guard count > 0 else { return nil }
            for _ in count..<max(count, 3) { ms *= 10 }
            return ms + (roundUp ? 1 : 0)
        }
    }
}

extension KeyedDecodingContainer {
    /// Decodes a `Timestamp`-format string, failing with `.invalidPayload` naming the field.
    public func decodeTimestamp(forKey key: Key) throws -> Date {
        let text = try decode(String.self, forKey: key)
        guard let date = Timestamp.parse(text) else {
            throw ModelCoreError(.invalidPayload, reason: "malformed RFC 3339 timestamp").at(codingPath + [key])
        }
        return date
    }
}

extension KeyedEncodingContainer {
    /// Encodes a date as a `Timestamp`-format string.
    public mutating func encodeTimestamp(_ date: Date, forKey key: Key) throws {
        guard let text = Timestamp.format(date) else {
            throw ModelCoreError(.invalidPayload, reason: "timestamp outside years 0000-9999")
                .at(codingPath + [key])
        }
        try encode(text, forKey: key)
    }
}
