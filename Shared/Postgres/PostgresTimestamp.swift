import Foundation

/// Text conversion of timestamps without Foundation formatters (slow, locale-dependent): PostgreSQL's ISO
/// output `2024-05-01 13:45:10.123456+00` (DateStyle ISO, any offset) and date-only `2024-05-01`.
enum PostgresTimestamp {
    private static let microsPerDay: Int64 = 86_400_000_000
    /// PostgreSQL's timestamp range ends in 294276 AD; beyond ±9e12 s we write infinity.
    private static let limitSeconds = 9.0e12

    static func format(_ date: Date) -> String {
        let seconds = date.timeIntervalSince1970
        guard seconds.isFinite, abs(seconds) < limitSeconds else {
            return seconds < 0 ? "-infinity" : "infinity"
        }
        let micros = Int64((seconds * 1_000_000).rounded())
        let (days, timeOfDay) = floorDivide(micros, microsPerDay)
        let (year, month, day) = civil(fromDays: Int(days))
        let secondOfDay = Int(timeOfDay / 1_000_000)
        var text = pad(year <= 0 ? 1 - year : year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        text += " " + pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay / 60 % 60, 2) + ":" + pad(secondOfDay % 60, 2)
        text += "." + pad(Int(timeOfDay % 1_000_000), 6) + "+00"
        if year <= 0 { text += " BC" }
        return text
    }

    /// Parses timestamptz, timestamp (read as UTC) and date text. nil for anything else, including infinity.
    static func parse(_ text: String) -> Date? {
        var scanner = Scanner(Array(text.utf8))
        guard let year = scanner.number(maxDigits: 9), scanner.skip("-"),
            let month = scanner.number(exactDigits: 2), scanner.skip("-"),
            let day = scanner.number(exactDigits: 2), (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        var micros: Int64 = 0
        if scanner.skip(" ") || scanner.skip("T") {
            guard let hour = scanner.number(exactDigits: 2), scanner.skip(":"),
                let minute = scanner.number(exactDigits: 2), scanner.skip(":"),
                let second = scanner.number(exactDigits: 2)
            else { return nil }
            micros = Int64(hour * 3600 + minute * 60 + second) * 1_000_000
            if scanner.skip(".") {
                guard let (fraction, digits) = scanner.fraction(), digits <= 6 else { return nil }
                var scaled = fraction
                for _ in digits..<6 { scaled *= 10 }
                micros += Int64(scaled)
            }
            if let sign = scanner.sign() {
                guard let hours = scanner.number(exactDigits: 2) else { return nil }
                var offset = hours * 3600
                if scanner.skip(":") {
                    guard let minutes = scanner.number(exactDigits: 2) else { return nil }
                    offset += minutes * 60
                    if scanner.skip(":") {
                        guard let seconds = scanner.number(exactDigits: 2) else { return nil }
                        offset += seconds
                    }
                }
                micros -= Int64(sign * offset) * 1_000_000
            }
        }
        var era = year
        if scanner.skip(" BC") { era = 1 - year }
        guard scanner.atEnd else { return nil }
        let total = Int64(days(fromCivil: era, month, day)) * microsPerDay + micros
        return Date(timeIntervalSince1970: Double(total) / 1_000_000)
    }

    // Howard Hinnant's civil-calendar algorithms (proleptic Gregorian, day 0 = 1970-01-01).
    static func days(fromCivil year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    static func civil(fromDays days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let quotient = value / divisor
        let remainder = value % divisor
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }

    private struct Scanner {
        let bytes: [UInt8]
        var position = 0

        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { position == bytes.count }

        mutating func skip(_ literal: String) -> Bool {
            let expected = Array(literal.utf8)
            guard bytes.count - position >= expected.count,
                bytes[position..<position + expected.count].elementsEqual(expected)
            else { return false }
            position += expected.count
            return true
        }

        mutating func sign() -> Int? {
            if skip("+") { return 1 }
            if skip("-") { return -1 }
            return nil
        }

        mutating func number(exactDigits: Int) -> Int? {
            let start = position
            guard let value = number(maxDigits: exactDigits), position - start == exactDigits else { return nil }
            return value
        }

        mutating func number(maxDigits: Int) -> Int? {
            guard let (value, digits) = fraction(maxDigits: maxDigits), digits > 0 else { return nil }
            return value
        }

        /// Reads up to `maxDigits` decimal digits: their value and how many there were.
        mutating func fraction(maxDigits: Int = 6) -> (Int, Int)? {
            var value = 0
            var digits = 0
            while position < bytes.count, digits < maxDigits,
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[position])
            {
                value = value * 10 + Int(bytes[position] - UInt8(ascii: "0"))
                digits += 1
                position += 1
            }
            return digits == 0 ? nil : (value, digits)
        }
    }
}
