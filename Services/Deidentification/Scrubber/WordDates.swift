/// Dates written with month names (`Feb 21, 2023`, `5th of March`, `17-Feb-2023`, `March 2021`) and weekdays.
extension Scan {
    mutating func detectWordDates() {
        var i = 0
        while i < count {
            let t = tokens[i]
            guard t.kind == .word, t.capitalized else {
                i += 1
                continue
            }
            if let month = HandLists.months[t.lower] {
                i = monthDate(i, month: month) + 1
            } else {
                if HandLists.weekdays.contains(t.lower) { add(i, i, .date) }
                i += 1
            }
        }
    }

    /// `last week`, `next Monday`, `last July`: relative dates (the date shift leaves them as they are).
    mutating func detectRelativeDates() {
        for i in 0..<count where tokens[i].kind == .word && (tokens[i].lower == "last" || tokens[i].lower == "next") {
            let w = lower(i + 1)
            guard joined(i + 1) else { continue }
            if w == "week" || w == "weekend" || HandLists.weekdays.contains(w)
                || (HandLists.standaloneMonths.contains(w) && tokens[i + 1].capitalized)
            {
                add(i, i + 1, .date)
            }
        }
    }

    /// A day of the month: `5`, `05`, `5th`. Returns whether token `i` is one.
    private func isDay(_ i: Int) -> Bool {
        guard i >= 0, i < count else { return false }
        let t = tokens[i]
        let digits = t.lower.prefix { $0.isNumber }
        guard !digits.isEmpty, digits.count <= 2, let d = Int(digits), d >= 1, d <= 31 else { return false }
        let rest = t.lower.dropFirst(digits.count)
        return rest.isEmpty || ["st", "nd", "rd", "th"].contains(String(rest))
    }

    private func isYear(_ i: Int) -> Bool {
        guard isNumber(i), tokens[i].length == 4, let y = Int(tokens[i].lower) else { return false }
        return y >= 1800 && y <= 2199
    }

    /// Returns the last token index of the date that contains the month at `m`, or `m` when there is none.
    private mutating func monthDate(_ m: Int, month: Int) -> Int {
        let name = tokens[m].lower
        let abbreviated = name.count <= 4 && name != "june" && name != "july"
        var end = m
        if isSymbol(end + 1, "."), tokens[end + 1].spaceBefore == 0, abbreviated { end += 1 }
        var start = m
        // day before: `21 Feb`, `21-Feb-2023`, `5th of March`, `the 5th of March`
        var k = m - 1
        if lower(k) == "of" { k -= 1 }
        if isSymbol(k, "-") { k -= 1 }
        if isDay(k), joined(k + 1) { start = k }
        // day after: `Feb 21`, `Feb. 21st`
        var j = end + 1
        var hasDay = start < m
        if start == m, isDay(j), joined(j) {
            end = j
            hasDay = true
            j += 1
        }
        // year: `, 2023`, ` 2023`, `-2023`, `'23`
        if isSymbol(j, ",") || isSymbol(j, "-") { j += 1 }
        var hasYear = false
        if isYear(j), joined(j) {
            end = j
            hasYear = true
        } else if isSymbol(j, "'") || isSymbol(j, "\u{2019}"), isNumber(j + 1), tokens[j + 1].length == 2 {
            end = j + 1
            hasYear = true
        }
        if hasDay || hasYear || HandLists.standaloneMonths.contains(name) {
            // Leading `early`/`mid`/`late` stay: they are not identifying.
            add(start, extendTime(after: end), .date)
            return end
        }
        return m
    }
}
