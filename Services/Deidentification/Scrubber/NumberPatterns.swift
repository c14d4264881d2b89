/// Phones, identifiers, numeric dates, ZIP codes, years and ages: runs of number tokens joined by separators.
extension Scan {
    mutating func detectNumbers() {
        var i = 0
        while i < count {
            guard tokens[i].kind != .word, tokens[i].kind != .symbol || startsGroup(i) else {
                i += 1
                continue
            }
            i = group(from: i)
        }
    }

    /// `CC-998877`, `#SF-998877`, `12345-JS`, `UCLA-098765`: a short upper-case code joined by a dash to a number.
    mutating func detectCodedIDs() {
        for i in 0..<count
        where isSymbol(i, "-") && tokens[i].spaceBefore == 0 && i > 0 && i + 1 < count
            && tokens[i + 1].spaceBefore == 0
        {
            let a = tokens[i - 1]
            let b = tokens[i + 1]
            let codeThenNumber =
                a.kind == .word && a.upper && a.length <= 6 && b.kind != .word && b.kind != .symbol
                && digitCount(b) >= 3
            let numberThenCode = a.kind == .number && a.length >= 3 && b.kind == .word && b.upper && b.length <= 4
            guard codeThenNumber || numberThenCode else { continue }
            let start = isSymbol(i - 2, "#") && tokens[i - 1].spaceBefore == 0 ? i - 2 : i - 1
            add(start, i + 1, .id)
        }
    }

    private func startsGroup(_ i: Int) -> Bool {
        (isSymbol(i, "+") || isSymbol(i, "(") || isSymbol(i, "#")) && i + 1 < count && tokens[i + 1].kind != .word
            && tokens[i + 1].kind != .symbol && tokens[i + 1].spaceBefore == 0
    }

    private static let separators: Set<Unicode.Scalar> = ["-", ".", "/", "(", ")", "\u{2013}"]

    /// Collects number/mixed tokens from `first` joined by one separator or one blank; classifies; returns the
    /// index after the group.
    private mutating func group(from first: Int) -> Int {
        var parts: [Int] = []  // token indices of number/mixed parts
        var seps: [Unicode.Scalar] = []  // separator before each part after the first (" " for a blank)
        var i = first
        var pendingSep: Unicode.Scalar? = nil
        var openParen = false
        if tokens[i].kind == .symbol { i += 1 }  // + ( #
        while i < count {
            let t = tokens[i]
            if t.kind == .number || t.kind == .mixed {
                if !parts.isEmpty {
                    guard !t.lineBreakBefore, t.spaceBefore <= 1 else { break }
                    if t.spaceBefore == 1 && pendingSep == nil { pendingSep = " " }
                    guard let sep = pendingSep else { break }
                    seps.append(sep)
                }
                parts.append(i)
                pendingSep = nil
                i += 1
            } else if t.kind == .symbol, !parts.isEmpty, pendingSep == nil, Self.separators.contains(scalars[t.start]),
                !t.lineBreakBefore, t.spaceBefore <= 1, i + 1 < count,
                tokens[i + 1].kind == .number || tokens[i + 1].kind == .mixed,
                tokens[i + 1].spaceBefore <= 1
            {
                let s = scalars[t.start]
                if s == "(" { openParen = true }
                pendingSep = s == "\u{2013}" ? "-" : s
                i += 1
            } else if t.kind == .symbol, openParen, scalars[t.start] == ")" {
                pendingSep = ")"
                openParen = false
                i += 1
            } else {
                break
            }
        }
        guard !parts.isEmpty else { return i + 1 }
        classify(first: first, parts: parts, seps: seps)
        return parts.last! + 1
    }

    private mutating func classify(first: Int, parts: [Int], seps: [Unicode.Scalar]) {
        let last = parts.last!
        let lens = parts.map { tokens[$0].length }
        let digits = parts.reduce(0) { $0 + digitCount(tokens[$1]) }
        let mixed = parts.contains { tokens[$0].kind == .mixed }
        let lead = tokens[first].kind == .symbol ? scalars[tokens[first].start] : nil
        let start = lead == "(" || lead == "+" || lead == "#" ? first : parts[0]

        if !mixed, let date = numericDate(parts: parts, lens: lens, seps: seps) {
            add(parts[0], extendTime(after: date), .date)
            let used = parts.firstIndex(of: date)! + 1
            if used < parts.count {
                classify(first: parts[used], parts: Array(parts[used...]), seps: Array(seps.dropFirst(used)))
            }
            return
        }
        if parts.count == 1 {
            single(parts[0], start: start, lead: lead)
            return
        }
        if seps.contains("/") || (seps.allSatisfy { $0 == "." } && parts.count == 2) { return }  // ratios, decimals
        if !mixed, parts.count == 3, lens == [3, 2, 4], seps.allSatisfy({ $0 == "-" || $0 == " " }) {
            add(start, last, .id)  // SSN
            return
        }
        if !mixed, parts.count == 2, lens == [5, 4], seps == ["-"] {
            add(start, last, .location)  // ZIP+4
            return
        }
        if digits >= 7 || (digits >= 6 && (lead == "+" || lead == "(")) {
            let cardLike = digits >= 13 && lens.allSatisfy { $0 == 4 || $0 >= 5 } && lead == nil
            add(start, phoneExtension(after: last), mixed || cardLike ? .id : .phone)
            return
        }
        if mixed || lead == "#" || hasIDCue(before: start) {
            if digits >= 3 { add(start, last, .id) }
            return
        }
        for p in parts { single(p, start: p, lead: nil) }
    }

    private func digitCount(_ t: Token) -> Int { t.lower.utf8.reduce(0) { $0 + ($1 &- 48 < 10 ? 1 : 0) } }

    /// One number or mixed token on its own.
    private mutating func single(_ i: Int, start: Int, lead: Unicode.Scalar?) {
        let t = tokens[i]
        let n = digitCount(t)
        if t.kind == .mixed {
            if isMixedID(t) || (n >= 1 && (lead == "#" || hasIDCue(before: start))) { add(start, i, .id) }
            if let age = Int(t.lower.prefix { $0.isNumber }), age >= 90, age <= 125,
                ["yo", "y", "yrs", "yr", "m", "f", "yom", "yof"].contains(String(t.lower.drop { $0.isNumber }))
            {
                add(i, i, .age)
            }
            return
        }
        if hasIDCue(before: start) || lead == "#" {
            if n >= 3 { add(start, i, .id) }
            return
        }
        if n >= 6 {
            add(start, i, .id)
        } else if n == 5 {
            add(i, i, .location)  // ZIP
        } else if n == 4, let year = Int(t.lower), year >= 1900, year <= 2099, !HandLists.units.contains(lower(i + 1)),
            !isSymbol(i - 1, "."), !isSymbol(i + 1, ".") || !isNumber(i + 2)
        {
            add(i, i, .date)
        } else if n <= 3, let age = Int(t.lower), age >= 90, age <= 125, isAge(after: i) || isAgeCue(before: i) {
            add(i, i, .age)
        }
    }

    /// `H678934`, `87342GH`, `GB90YNTU6729…`: letters mixed with at least three digits; not `500mg` or `123rd`.
    private func isMixedID(_ t: Token) -> Bool {
        let d = digitCount(t)
        guard d >= 3 else { return false }
        let letters = t.lower.drop { $0.isNumber }
        if letters.count < t.lower.count, letters.allSatisfy(\.isLetter) {  // digits then letters
            let suffix = String(letters)
            if HandLists.units.contains(suffix) || ["st", "nd", "rd", "th", "s"].contains(suffix) { return false }
            return t.upper || letters.count <= 2
        }
        return true
    }

    private func hasIDCue(before i: Int) -> Bool {
        var j = i - 1
        while j >= 0, tokens[j].kind == .symbol, j >= i - 2 {
            let s = scalars[tokens[j].start]
            guard s == ":" || s == "#" || s == "." || s == "-" else { return false }
            j -= 1
        }
        if lower(j) == "is" || lower(j) == "of" { j -= 1 }
        return j >= 0 && HandLists.idCues.contains(tokens[j].lower) && i - j <= 4
    }

    private func isAge(after i: Int) -> Bool {
        var j = i + 1
        if isSymbol(j, "-") { j += 1 }
        let w = lower(j)
        return ["year", "years", "yr", "yrs", "yo", "y", "yom", "yof"].contains(w)
    }

    private func isAgeCue(before i: Int) -> Bool {
        var j = i - 1
        if isSymbol(j, ":") { j -= 1 }
        return ["aged", "age", "ages"].contains(lower(j))
    }

    /// `03/12/2021`, `2021-03-12`, `12.03.21`, `3/2021`: the index of the group part that ends the date.
    private func numericDate(parts: [Int], lens: [Int], seps: [Unicode.Scalar]) -> Int? {
        func value(_ k: Int) -> Int { Int(tokens[parts[k]].lower) ?? -1 }
        if parts.count >= 3, seps[0] == seps[1], seps[0] == "/" || seps[0] == "-" || seps[0] == "." {
            if lens[0] <= 2, lens[1] <= 2, lens[2] == 2 || lens[2] == 4, (1...31).contains(value(0)),
                (1...31).contains(value(1))
            {
                return parts[2]
            }
            if lens[0] == 4, lens[1] <= 2, lens[2] <= 2, (1...12).contains(value(1)), (1...31).contains(value(2)) {
                return parts[2]
            }
        }
        if parts.count >= 2, seps[0] == "/" || seps[0] == "-", lens[0] <= 2, lens[1] == 4, (1...12).contains(value(0)),
            (1900...2099).contains(value(1))
        {
            return parts[1]
        }
        return nil
    }

    /// Extends a date over a following time of day (`2018-01-14 03:07:43`, `at 10:30 pm`).
    func extendTime(after i: Int) -> Int {
        var j = i + 1
        if lower(j) == "at" || isSymbol(j, "T") || lower(j) == "t" { j += 1 }
        guard isNumber(j), tokens[j].length <= 2, isSymbol(j + 1, ":"), isNumber(j + 2), tokens[j].spaceBefore <= 1
        else {
            return i
        }
        var end = j + 2
        if isSymbol(end + 1, ":"), isNumber(end + 2) { end += 2 }
        if ["am", "pm", "a", "p"].contains(lower(end + 1)) { end += 1 }
        return end
    }

    /// `x4587`, `ext. 12`, `ext 12` after a phone number.
    private func phoneExtension(after i: Int) -> Int {
        let w = lower(i + 1)
        if tokens.indices.contains(i + 1), tokens[i + 1].kind == .mixed, w.hasPrefix("x"),
            w.dropFirst().allSatisfy(\.isNumber)
        {
            return i + 1
        }
        var j = i + 1
        guard w == "x" || w == "ext" || w == "extension" else { return i }
        if isSymbol(j + 1, ".") { j += 1 }
        return isNumber(j + 1) ? j + 1 : i
    }
}
