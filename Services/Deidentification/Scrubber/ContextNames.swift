/// Names found by their context: titles (`Dr. Emily White`), initials (`Sarah P.`, `John A. Leiva`) and cue
/// words (`name is`, `seen by`, `I'm`).
extension Scan {
    mutating func detectContextNames() {
        for i in 0..<count where tokens[i].kind == .word {
            let w = tokens[i].lower
            if tokens[i].capitalized, HandLists.titles.contains(w) {
                titled(i)
            } else if tokens[i].capitalized, let end = initial(at: i + 1), joined(i + 1),
                isNameLike(i) || isFirstName(i)
            {
                // `Sarah P.`, `John A. Leiva`, `Szabina J Gelencsér`
                var last = end
                if isCapWord(last + 1), joined(last + 1),
                    isNameLike(last + 1) || name(last + 1)
                        || isFirstName(i) && !HandLists.stopWords.contains(lower(last + 1))
                {
                    last += 1
                }
                // A bare capital without a full stop needs a surname after it (`Type A` is no name).
                if last > end || end > i + 1 || isFirstName(i) { add(i, last, .name) }
            } else if HandLists.nameCues.contains(w) || w == "name" || w == "i'm" || w == "im"
                || (w == "am" && lower(i - 1) == "i")
            {
                cued(i)
            }
        }
    }

    private func isFirstName(_ i: Int) -> Bool { firstName(i) }

    /// `Dr. Smith`, `Mrs J. Brown`, `Dr Emily White`: the title is part of the span.
    private mutating func titled(_ t: Int) {
        var j = t + 1
        if isSymbol(j, "."), tokens[j].spaceBefore == 0 { j += 1 }
        var last = -1
        var k = j
        while k < count, k - j < 4, joined(k) {
            if let end = initial(at: k) {
                last = end
                k = end + 1
            } else if isCapWord(k), !HandLists.titles.contains(tokens[k].lower) || last >= 0 {
                last = k
                k += 1
            } else {
                break
            }
        }
        if last >= 0 { add(t, last, .name) }
    }

    /// After a cue word: one to three capitalised words that are not all ordinary words; after `my name is`,
    /// `I'm` or `named` a lower-case first name or surname counts too.
    private mutating func cued(_ c: Int) {
        var j = c + 1
        let w = tokens[c].lower
        let strong = w == "name" || w == "named" || w == "called" || w == "i'm" || w == "im" || w == "am"
        if w == "name" {
            if isSymbol(j, ":") {
                j += 1
            } else if lower(j) == "is" || lower(j) == "was" || lower(j) == "'s" {
                j += 1
            } else {
                return
            }
        }
        if isSymbol(j, ":") { j += 1 }
        var last = -1
        var k = j
        var anyName = false
        while k < count, k - j < 3, joined(k) || k == j {
            if let end = initial(at: k), k > j {
                last = end
                k = end + 1
                continue
            }
            guard tokens[k].kind == .word else { break }
            let low = tokens[k].lower
            if isCapWord(k) {
                if HandLists.stopWords.contains(low) || HandLists.titles.contains(low) { break }
                if firstName(k) || !common(k) { anyName = true }
            } else if strong, !HandLists.stopWords.contains(low), firstName(k) || !common(k) {
                anyName = true
            } else {
                break
            }
            last = k
            k += 1
        }
        if last >= 0, anyName { add(j, last, .name) }
    }
}
