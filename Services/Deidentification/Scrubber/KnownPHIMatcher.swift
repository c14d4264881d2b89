import Foundation

/// Compiles `KnownPHI` into needles and finds them in a scan.
extension KnownPHI {
    func needles(isCommon: (String) -> Bool) -> [Needle] {
        var out: [Needle] = []
        func add(_ text: String, _ type: PHIType, minLength: Int = 2, needsCapital: Bool = false) {
            guard text.count >= minLength, !out.contains(where: { $0.text == text }) else { return }
            out.append(Needle(text: text, type: type, needsCapital: needsCapital))
        }
        for name in names {
            let parts = Fold.words(name.replacingOccurrences(of: "^", with: " "))
            for part in parts where part.count >= 2 { add(part, .name, needsCapital: isCommon(part)) }
            if parts.count >= 2 {
                add(parts.joined(), .name)
                add(parts.last! + parts.dropLast().joined(), .name)  // `Smith, John`
            }
        }
        for id in identifiers {
            add(Fold.alnum(id), .id, minLength: 3)
            let digits = id.filter(\.isNumber)
            if digits.count >= 4 { add(digits, .id) }
        }
        for phone in phones {
            let digits = phone.filter(\.isNumber)
            add(digits, .phone, minLength: 7)
            if digits.count > 7 { add(String(digits.suffix(7)), .phone) }
            if digits.count > 10 { add(String(digits.suffix(10)), .phone) }
        }
        for email in emails { add(Fold.alnum(email), .email, minLength: 3) }
        for line in addressLines { add(Fold.alnum(line), .location, minLength: 3) }
        for city in cities {
            let folded = Fold.alnum(city)
            add(folded, .location, minLength: 3, needsCapital: Fold.words(city).count == 1 && isCommon(folded))
        }
        for zip in postalCodes {
            let folded = Fold.alnum(zip)
            add(folded, .location, minLength: 3)
            if folded.count > 5, folded.allSatisfy(\.isNumber) { add(String(folded.prefix(5)), .location) }
        }
        if let b = birthDate { for form in Self.dateForms(b) { add(form, .date, minLength: 5) } }
        return out
    }

    /// ISO, `MM/DD/YYYY`, `M/D/YY`, `DD.MM.YYYY`, `YYYYMMDD` and month-name forms, separators removed.
    static func dateForms(_ b: BirthDate) -> [String] {
        let y4 = String(b.year)
        let y2 = String(y4.suffix(2))
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let m = [
            "", "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december",
        ]
        guard (1...12).contains(b.month), (1...31).contains(b.day) else { return [y4] }
        let month = m[b.month]
        let short = String(month.prefix(3))
        var forms = [
            y4 + two(b.month) + two(b.day), two(b.month) + two(b.day) + y4, "\(b.month)\(b.day)" + y4,
            two(b.month) + two(b.day) + y2, "\(b.month)\(b.day)" + y2, two(b.day) + two(b.month) + y4,
            "\(b.day)\(b.month)" + y4,
        ]
        for name in [month, short] {
            forms += [
                name + "\(b.day)" + y4, "\(b.day)" + name + y4, name + "\(b.day)" + ordinal(b.day) + y4,
                "\(b.day)" + ordinal(b.day) + name + y4, "\(b.day)" + ordinal(b.day) + "of" + name + y4,
            ]
        }
        return forms
    }

    static func ordinal(_ d: Int) -> String {
        if (11...13).contains(d % 100) { return "th" }
        switch d % 10 {
        case 1: return "st"
        case 2: return "nd"
        case 3: return "rd"
        default: return "th"
        }
    }
}

extension Scan {
    /// Finds each needle as a run of tokens whose folded letters and digits, joined, equal it.
    mutating func detectKnown(_ needles: [Needle]) {
        guard !needles.isEmpty else { return }
        let folded = tokens.map { t -> String in
            guard t.isAlnum else { return "" }
            return t.lower.utf8.allSatisfy({ $0 < 128 }) ? t.lower.filter { $0 != "'" } : Fold.alnum(t.lower)
        }
        for i in 0..<count where tokens[i].isAlnum {
            for needle in needles where needle.text.hasPrefix(folded[i]) {
                if needle.needsCapital && !tokens[i].capitalized { continue }
                var joined = folded[i]
                var k = i
                var symbols = 0
                while joined.count < needle.text.count, k + 1 < count {
                    k += 1
                    let t = tokens[k]
                    if t.lineBreakBefore || t.spaceBefore > 2 { break }
                    if !t.isAlnum {
                        symbols += 1
                        if symbols > 1 { break }
                        continue
                    }
                    symbols = 0
                    joined += folded[k]
                    if !needle.text.hasPrefix(joined) { break }
                }
                if joined == needle.text { add(i, k, needle.type) }
            }
        }
    }
}
