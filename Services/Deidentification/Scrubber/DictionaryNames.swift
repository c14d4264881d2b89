/// Capitalised words looked up in the name and place lists, then the fallback: a capitalised word that is in
/// no vocabulary is taken for a proper noun (foreign names, small towns, made-up companies).
extension Scan {
    mutating func detectDictionaryWords() {
        var previousName = -2  // index of the last token tagged NAME here
        var i = 0
        while i < count {
            let t = tokens[i]
            guard t.kind == .word, t.capitalized else {
                i += 1
                continue
            }
            if let end = placePhrase(at: i) {
                add(i, end, .location)
                i = end + 1
                continue
            }
            var w = t.lower
            if w.hasSuffix("'s") { w.removeLast(2) }
            let common = common(i)
            let first = firstName(i)
            let surname = surname(i)
            let followsName = previousName == i - 1 && joined(i)
            if previousName == i - 2, joined(i - 1), joined(i), HandLists.particles.contains(lower(i - 1)),
                !tokens[i - 1].capitalized
            {
                add(i - 1, i, .name)  // `Dyan van Gijn`, `Willemine ten Pas`
                previousName = i
                i += 1
                continue
            }
            var type: PHIType? = nil
            if followsName, first || surname || !common, !HandLists.clinical.contains(w) {
                type = .name  // `John Smith`: a name part after a name
            } else if HandLists.clinical.contains(w) || HandLists.titles.contains(w) || isEponym(i) {
                type = nil
            } else if first,
                !common
                    || isCapWord(i + 1) && joined(i + 1)
                        && (!self.common(i + 1) || self.surname(i + 1))
                    || initial(at: i + 1) != nil
                    || (tokens[i].lineBreakBefore || i == 0) && isSymbol(i + 1, ":") && tokens[i + 1].spaceBefore == 0
            {
                type = .name  // a first name that is also a word counts only before another name part
            } else if !common, first || surname {
                type = .name
            } else if !common, place(i) {
                type = .location
            } else if !common, !(t.upper && t.length <= 4) {
                type = .name  // fallback: unknown proper noun
            }
            if let type {
                add(i, i, type)
                if type == .name { previousName = i }
            }
            i += 1
        }
    }

    /// Names written in lower case: a first name and a surname that are no English words (`eva kleist`), and a
    /// word after a lower-case title (`mr. elliott`).
    mutating func detectLowercaseNames() {
        for i in 0..<count where tokens[i].kind == .word && !tokens[i].capitalized {
            let w = tokens[i].lower
            if HandLists.titles.contains(w), isSymbol(i + 1, "."), i + 2 < count, tokens[i + 2].kind == .word,
                joined(i + 2),
                !tokens[i + 2].capitalized, !common(i + 2)
            {
                add(i, i + 2, .name)
            } else if firstName(i), !common(i), i + 1 < count, tokens[i + 1].kind == .word,
                joined(i + 1),
                !tokens[i + 1].capitalized, !common(i + 1),
                name(i + 1) || tokens[i + 1].length >= 4
            {
                add(i, i + 1, .name)
            }
        }
    }

    /// Two or more capitalised words inside a sentence (`at Clean Power Finance`, `became Credit Karma`) name
    /// something even when each word is ordinary. Runs at the start of a line or sentence (headings, `Hospital
    /// Course:`) and runs made of clinical service words (`Emergency Department`) are left alone.
    mutating func detectTitleCaseRuns() {
        guard !caseless else { return }
        var i = 0
        while i < count {
            guard isCapWord(i) else {
                i += 1
                continue
            }
            var end = i
            while isCapWord(end + 1), joined(end + 1) { end += 1 }
            defer { i = end + 1 }
            // inside a sentence: after a word or a comma on the same line, not before a heading colon
            guard end > i, i > 0, !tokens[i].lineBreakBefore, tokens[i - 1].kind != .symbol || isSymbol(i - 1, ","),
                !isSymbol(end + 1, ":")
            else { continue }
            let words = (i...end).map { bare($0) }
            // Only runs of ordinary words: anything else in them is found by the word lists already.
            guard (i...end).allSatisfy({ common($0) }), !words.contains(where: { HandLists.stopWords.contains($0) }),
                !words.allSatisfy({ HandLists.demonyms.contains($0) || HandLists.services.contains($0) }),
                !words.contains(where: { HandLists.eponymNext.contains($0) || HandLists.services.contains($0) }),
                !words.contains(where: { HandLists.titles.contains($0) || HandLists.months[$0] != nil })
            else { continue }
            add(i, end, .organization)
        }
    }

    /// `Bell's palsy`, `Glasgow Coma Scale`: an eponym, not a person.
    private func isEponym(_ i: Int) -> Bool {
        var j = i + 1
        if isSymbol(j, "'") || isSymbol(j, "\u{2019}") { j += 1 }
        while j < count, j - i <= 2, joined(j), isCapWord(j) && !HandLists.eponymNext.contains(lower(j)) { j += 1 }
        return joined(j) && HandLists.eponymNext.contains(lower(j))
    }

    /// A multi-word place (`New York`, `Winston-Salem`, `Rio de Janeiro`) starting at `i`: its last token.
    private func placePhrase(at i: Int) -> Int? {
        guard lexicon.placeHeads.contains(tokens[i].lower) else { return nil }
        var phrase = tokens[i].lower
        var best: Int? = nil
        var k = i + 1
        var words = 1
        while k < count, words < 5, tokens[k].spaceBefore <= 1, !tokens[k].lineBreakBefore {
            if isSymbol(k, "-"), tokens[k].spaceBefore == 0 {
                phrase += "-"
            } else if tokens[k].kind == .word {
                if tokens[k].spaceBefore == 1 { phrase += " " }
                phrase += tokens[k].lower
                words += 1
                if lexicon.places.contains(phrase), isCapWord(k) || !common(k) { best = k }
            } else {
                break
            }
            k += 1
        }
        return best
    }
}
