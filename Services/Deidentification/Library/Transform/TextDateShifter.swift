import Foundation

/// Shifts a date found in free text by the patient's offset and writes it back in the format it came in
/// (`2024-05-01`, `05/01/2024`, `5/1/24`, `1 May 2024`, `May 1, 2024`, `May 1st 2024`); nil for anything it
/// cannot read with certainty, which the scrubber then replaces with `[DATE]`.
enum TextDateShifter {
    static let months = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
        "october", "november", "december"]

    static func shift(_ text: String, days: Int) -> String? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let result = numeric(trimmed, days: days) { return result }
        return named(trimmed, days: days)
    }

    /// `YYYY-MM-DD`, `MM/DD/YYYY`, `M/D/YY` (US order, as in the corpora and US notes).
    private static func numeric(_ text: String, days: Int) -> String? {
        let separators: [Character] = ["-", "/", "."]
        guard let separator = separators.first(where: text.contains) else { return nil }
        let parts = text.split(separator: separator, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        let numbers = parts.compactMap { Int($0) }
        if parts[0].count == 4 {
            guard let date = make(numbers[0], numbers[1], numbers[2]) else { return nil }
            let (y, m, d) = components(date.addingTimeInterval(Double(days) * 86_400))
            return "\(y)\(separator)\(pad(m, parts[1].count))\(separator)\(pad(d, parts[2].count))"
        }
        guard parts[2].count == 4 || parts[2].count == 2 else { return nil }
        let year = parts[2].count == 4 ? numbers[2] : (numbers[2] < 50 ? 2000 + numbers[2] : 1900 + numbers[2])
        guard let date = make(year, numbers[0], numbers[1]) else { return nil }
        let (y, m, d) = components(date.addingTimeInterval(Double(days) * 86_400))
        let yearText = parts[2].count == 4 ? String(y) : pad(y % 100, 2)
        return "\(pad(m, parts[0].count))\(separator)\(pad(d, parts[1].count))\(separator)\(yearText)"
    }

    /// `1 May 2024`, `May 1, 2024`, `May 1st 2024`, `March 5th, 2021`.
    private static func named(_ text: String, days: Int) -> String? {
        let words = text.replacingOccurrences(of: ",", with: " ").split(separator: " ").map(String.init)
        guard words.count == 3 else { return nil }
        func month(_ word: String) -> Int? {
            let lower = word.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
            guard lower.count >= 3 else { return nil }
            return months.firstIndex { $0.hasPrefix(lower) }.map { $0 + 1 }
        }
        func day(_ word: String) -> (Int, String)? {
            let digits = word.prefix { $0.isNumber }
            let suffix = String(word.dropFirst(digits.count)).lowercased()
            guard let value = Int(digits), ["", "st", "nd", "rd", "th"].contains(suffix) else { return nil }
            return (value, suffix)
        }
        let capitalized: (String) -> Bool = { $0.first?.isUppercase ?? false }
        if let m = month(words[0]), let (d, suffix) = day(words[1]), let y = Int(words[2]), words[2].count == 4,
            let date = make(y, m, d)
        {
            let (ny, nm, nd) = components(date.addingTimeInterval(Double(days) * 86_400))
            let name = monthName(nm, like: words[0], capitalized: capitalized(words[0]))
            let comma = text.contains(",") ? "," : ""
            return "\(name) \(nd)\(suffix.isEmpty ? "" : ordinal(nd))\(comma) \(ny)"
        }
        if let (d, suffix) = day(words[0]), let m = month(words[1]), let y = Int(words[2]), words[2].count == 4,
            let date = make(y, m, d)
        {
            let (ny, nm, nd) = components(date.addingTimeInterval(Double(days) * 86_400))
            return "\(nd)\(suffix.isEmpty ? "" : ordinal(nd)) \(monthName(nm, like: words[1], capitalized: capitalized(words[1]))) \(ny)"
        }
        return nil
    }

    /// The new month written like the original: abbreviated if the original was shorter than its full name.
    private static func monthName(_ month: Int, like original: String, capitalized: Bool) -> String {
        var name = months[month - 1]
        let bare = original.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "."))
        if let full = months.first(where: { $0.hasPrefix(bare) }), bare.count < full.count {
            name = String(name.prefix(3)) + (original.hasSuffix(".") ? "." : "")
        }
        return capitalized ? name.prefix(1).uppercased() + name.dropFirst() : name
    }

    private static func ordinal(_ day: Int) -> String {
        if (11...13).contains(day % 100) { return "th" }
        switch day % 10 {
        case 1: return "st"
        case 2: return "nd"
        case 3: return "rd"
        default: return "th"
        }
    }

    private static var calendar: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }

    private static func make(_ year: Int, _ month: Int, _ day: Int) -> Date? {
        guard (1...12).contains(month), (1...31).contains(day), (1800...2200).contains(year) else { return nil }
        let components = DateComponents(year: year, month: month, day: day, hour: 12)
        guard let date = calendar.date(from: components),
            calendar.component(.day, from: date) == day
        else { return nil }
        return date
    }

    private static func components(_ date: Date) -> (Int, Int, Int) {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return (parts.year!, parts.month!, parts.day!)
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return width > text.count ? String(repeating: "0", count: width - text.count) + text : text
    }
}
