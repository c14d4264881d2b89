import Foundation

/// An HL7 `DTM` (also the first component of `TS`, and `DT`): `YYYY[MM[DD[HH[MM[SS[.S+]]]]]][+/-ZZZZ]`.
/// Keeps the precision the sender used: "2024" is a year, not midnight on the first of January.
public struct HL7DateTime: Hashable, Sendable, CustomStringConvertible {
    public enum Precision: Int, Hashable, Sendable, Comparable {
        case year, month, day, hour, minute, second, fraction
        public static func < (lhs: Precision, rhs: Precision) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public let year: Int
    public let month: Int?
    public let day: Int?
    public let hour: Int?
    public let minute: Int?
    public let second: Int?
    /// Fractional seconds in nanoseconds, with the number of digits sent (HL7 allows up to 4; we read 9).
    public let nanosecond: Int
    public let fractionDigits: Int
    /// The UTC offset the sender wrote, in minutes; nil when absent (local time of the sender).
    public let utcOffsetMinutes: Int?

    public var precision: Precision {
        if fractionDigits > 0 { return .fraction }
        if second != nil { return .second }
        if minute != nil { return .minute }
        if hour != nil { return .hour }
        if day != nil { return .day }
        if month != nil { return .month }
        return .year
    }

    /// Parses the text; nil if it is not a valid DTM (wrong length, out-of-range part, impossible date).
    public init?(_ text: some StringProtocol) {
        let bytes = Array(text.utf8)
        var i = 0
        func digits(_ count: Int) -> Int? {
            guard i + count <= bytes.count else { return nil }
            var value = 0
            for k in i..<(i + count) {
                let d = bytes[k] &- 0x30
                guard d < 10 else { return nil }
                value = value * 10 + Int(d)
            }
            i += count
            return value
        }
        func atDigit() -> Bool { i < bytes.count && bytes[i] &- 0x30 < 10 }

        guard let year = digits(4) else { return nil }
        var parts: [Int] = []
        while parts.count < 5, atDigit() {
            guard let part = digits(2) else { return nil }
            parts.append(part)
        }
        var nanosecond = 0
        var fractionDigits = 0
        if parts.count == 5, i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            while atDigit() {
                guard fractionDigits < 9 else { return nil }
                nanosecond = nanosecond * 10 + Int(bytes[i] - 0x30)
                fractionDigits += 1
                i += 1
            }
            guard fractionDigits > 0 else { return nil }
            for _ in fractionDigits..<9 { nanosecond *= 10 }
        }
        var offset: Int?
        if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") {
            let sign = bytes[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let hours = digits(2), let minutes = digits(2), hours <= 23, minutes <= 59 else { return nil }
            offset = sign * (hours * 60 + minutes)
        }
        guard i == bytes.count else { return nil }
        self.init(
            year: year, month: parts.count > 0 ? parts[0] : nil, day: parts.count > 1 ? parts[1] : nil,
            hour: parts.count > 2 ? parts[2] : nil, minute: parts.count > 3 ? parts[3] : nil,
            second: parts.count > 4 ? parts[4] : nil, nanosecond: nanosecond, fractionDigits: fractionDigits,
            utcOffsetMinutes: offset)
    }

    /// nil unless the parts make a real date and time.
    public init?(
        year: Int, month: Int? = nil, day: Int? = nil, hour: Int? = nil, minute: Int? = nil, second: Int? = nil,
        nanosecond: Int = 0, fractionDigits: Int = 0, utcOffsetMinutes: Int? = nil
    ) {
        guard (0...9999).contains(year) else { return nil }
        if let month { guard (1...12).contains(month) else { return nil } }
        if let day {
            guard let month, (1...Self.daysIn(month: month, year: year)).contains(day) else { return nil }
        }
        if let hour { guard day != nil, (0...23).contains(hour) else { return nil } }
        if let minute { guard hour != nil, (0...59).contains(minute) else { return nil } }
        if let second { guard minute != nil, (0...59).contains(second) else { return nil } }
        guard (0...9).contains(fractionDigits), fractionDigits == 0 || second != nil,
            (0..<1_000_000_000).contains(nanosecond)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.nanosecond = nanosecond
        self.fractionDigits = fractionDigits
        self.utcOffsetMinutes = utcOffsetMinutes
    }

    /// A timestamp to the second, at the given offset (ACK MSH-7); nil outside years 0...9999.
    public init?(date: Date, utcOffsetMinutes: Int = 0) {
        guard abs(date.timeIntervalSince1970) < 2.5e11 else { return nil }
        let seconds = Int(date.timeIntervalSince1970.rounded(.down)) + utcOffsetMinutes * 60
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let (y, m, d) = Self.civil(fromDays: days)
        let inDay = seconds - days * 86_400
        self.init(
            year: y, month: m, day: d, hour: inDay / 3600, minute: inDay / 60 % 60, second: inDay % 60,
            utcOffsetMinutes: utcOffsetMinutes)
    }

    /// The instant at the start of the period the value names. A value without an offset is read at
    /// `assumedOffsetMinutes` (the sender's local time, which only the interface configuration knows).
    public func date(assumedOffsetMinutes: Int = 0) -> Date {
        let days = Self.days(fromCivil: year, month ?? 1, day ?? 1)
        var seconds = days * 86_400 + (hour ?? 0) * 3600 + (minute ?? 0) * 60 + (second ?? 0)
        seconds -= (utcOffsetMinutes ?? assumedOffsetMinutes) * 60
        return Date(timeIntervalSince1970: Double(seconds) + Double(nanosecond) / 1e9)
    }

    /// The HL7 text, at the precision it was read with.
    public var description: String {
        func pad(_ n: Int, _ width: Int = 2) -> String {
            let text = String(n)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        var text = pad(year, 4)
        for part in [month, day, hour, minute, second] {
            guard let part else { break }
            text += pad(part)
        }
        if fractionDigits > 0 {
            var fraction = nanosecond
            for _ in fractionDigits..<9 { fraction /= 10 }
            text += "." + pad(fraction, fractionDigits)
        }
        if let offset = utcOffsetMinutes {
            text += (offset < 0 ? "-" : "+") + pad(abs(offset) / 60) + pad(abs(offset) % 60)
        }
        return text
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    // Howard Hinnant's days_from_civil / civil_from_days: proleptic Gregorian, no Calendar needed.
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func civil(fromDays days: Int) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
