/// Hospitals, organisations, street addresses and places found by their context.
extension Scan {
    mutating func detectContextPlaces() {
        var i = 0
        while i < count {
            let t = tokens[i]
            let w = t.lower
            if t.kind == .word, t.capitalized, HandLists.institutionHeads.contains(w) {
                institution(i)
            } else if t.kind == .word, t.capitalized, HandLists.streetSuffixes.contains(w), w.count > 2, w != "way",
                isCapWord(i - 1), joined(i), isNameLike(i - 1) || name(i - 1)
            {
                // `Herceg Gateway`, `Lahtinen Road`: a named street without its house number
                var end = i
                if isSymbol(i + 1, "."), tokens[i + 1].spaceBefore == 0, w.count <= 4 { end = i + 1 }
                add(streetStart(capRunStart(endingAt: i - 1, max: 2)), end, .location)
            } else if t.kind == .word, t.capitalized, HandLists.orgSuffixes.contains(w) {
                organization(i)
            } else if t.kind == .word, t.capitalized, HandLists.placePrefixes.contains(w) {
                placePrefix(i)
            } else if t.kind == .word, !t.capitalized, HandLists.facilityWords.contains(w) {
                facility(i)
            } else if t.kind == .word, t.upper, t.length == 2, HandLists.stateCodes.contains(t.lower.uppercased()),
                isSymbol(i - 1, ","), isCapWord(i - 2), !HandLists.credentials.contains(w) || place(i - 2)
            {
                // `Springfield, IL`
                add(capRunStart(endingAt: i - 2, max: 3), i, .location)
            } else if t.kind == .number, t.length <= 6 {
                street(i)
            } else if w == "corner", lower(i + 1) == "of", i + 2 < count,
                tokens[i + 2].capitalized || tokens[i + 2].kind == .number
            {
                // `the corner of 11 Botley Road and Herceg Gateway`: the intersection is the address
                add(lower(i - 1) == "the" ? i - 1 : i, i + 1, .location)
            } else if t.kind == .word, t.upper, HandLists.shipPrefixes.contains(w) {
                ship(i)
            } else if t.kind == .word, HandLists.unitWords.contains(w) {
                unit(i)
            } else if t.kind == .word, HandLists.placeCues.contains(w) {
                cuedPlace(i)
            }
            if t.kind == .word, t.capitalized, isUnknownCap(i), isNumber(i + 1), tokens[i + 1].length <= 4,
                joined(i + 1),
                !isSymbol(i + 2, ":"), !isSymbol(i + 2, "/"), !HandLists.units.contains(lower(i + 2))
            {
                // `Koskikatu 25`, `Rua do Arenque 1634`: a foreign street with its house number
                add(streetStart(capRunStart(endingAt: i, max: 3)), continueAddress(from: i + 1), .location)
            }
            i += 1
        }
    }

    /// The first token of the capitalised run (with `of`, `de`, `do`, `'s`, `-`, `&`, `St.`) that ends at `end`.
    func capRunStart(endingAt end: Int, max: Int) -> Int {
        var start = end
        var k = end - 1
        var words = 0
        while k >= 0, words < max {
            if isSymbol(k, "."), tokens[k + 1].spaceBefore <= 1, tokens[k].spaceBefore == 0,
                HandLists.placePrefixes.contains(lower(k - 1))
            {
                k -= 1
                continue
            }
            guard joined(k + 1, space: 1) else { break }
            if isCapWord(k), !HandLists.stopWords.contains(tokens[k].lower) {
                start = k
                words += 1
            } else if tokens[k].kind == .number, k > 0, isCapWord(k + 1) {
                break
            } else if isSymbol(k, "-") || isSymbol(k, "&") || tokens[k].lower == "and" || tokens[k].lower == "of"
                || (tokens[k].kind == .word && !tokens[k].capitalized && HandLists.particles.contains(tokens[k].lower))
            {
                // connector: only keep going if a capitalised word precedes it
                guard isCapWord(k - 1), joined(k) else { break }
            } else {
                break
            }
            k -= 1
        }
        return start
    }

    /// Backs off over a street prefix (`ul.`, `rue`) and a house number before a street name.
    func streetStart(_ s: Int) -> Int {
        var start = s
        if isSymbol(start - 1, "."), HandLists.streetPrefixes.contains(lower(start - 2)) {
            start -= 2
        } else if HandLists.streetPrefixes.contains(lower(start - 1)), joined(start) {
            start -= 1
        }
        return houseNumberStart(start)
    }

    /// `USNS Bergman`, `USS Mahler`: a ship in a military address.
    private mutating func ship(_ s: Int) {
        guard isCapWord(s + 1), joined(s + 1) else { return }
        add(s, continueAddress(from: s + 1), .location)
    }

    /// `Cleveland Clinic`, `St. Joseph's Hospital`, `UCLA Medical Center`, `Hospital of the University of X`,
    /// `John Hopkins Hospital in Baltimore`.
    private mutating func institution(_ h: Int) {
        let start = capRunStart(endingAt: h, max: 4)
        var end = h
        while isCapWord(end + 1), joined(end + 1),
            HandLists.institutionHeads.contains(lower(end + 1)) || isNameLike(end + 1)
        {
            end += 1
        }
        if HandLists.institutionAbbreviations.contains(lower(end)), isSymbol(end + 1, "."),
            tokens[end + 1].spaceBefore == 0
        {
            end += 1
        }
        var k = end + 1
        if ["of", "at", "in"].contains(lower(k)) {
            k += 1
            if lower(k) == "the" { k += 1 }
            var last = -1
            while isCapWord(k), joined(k), k - end <= 5, !HandLists.stopWords.contains(lower(k)) {
                last = k
                k += 1
            }
            if last >= 0 { end = last }
        }
        // `Memorial Hospital, Los Angeles, CA`: the town after the institution
        while isSymbol(end + 1, ","), isCapWord(end + 2),
            place(end + 2)
                || (tokens[end + 2].upper && HandLists.stateCodes.contains(tokens[end + 2].lower.uppercased()))
                || lexicon.placeHeads.contains(lower(end + 2)) && isCapWord(end + 3)
                    && lexicon.places.contains(lower(end + 2) + " " + lower(end + 3))
        {
            end += 2
            if lexicon.placeHeads.contains(lower(end)), isCapWord(end + 1),
                lexicon.places.contains(lower(end) + " " + lower(end + 1))
            {
                end += 1
            }
        }
        if start < h || end > h { add(start, end, .location) }
    }

    /// `Wolfram Research`, `Acme Corp.`, `Smith, Jones and Partners`.
    private mutating func organization(_ s: Int) {
        var before = s - 1
        if lower(before) == "and" || isSymbol(before, "&") { before -= 1 }
        guard isCapWord(before), joined(s), joined(before + 1) else { return }
        let start = capRunStart(endingAt: before, max: 3)
        var end = s
        if isSymbol(end + 1, "."), tokens[end + 1].spaceBefore == 0 { end += 1 }
        add(start, end, .organization)
    }

    /// `St. Vincent's`, `Mt. Sinai`, `Saint Paul`, `San Diego`.
    private mutating func placePrefix(_ p: Int) {
        var j = p + 1
        if isSymbol(j, "."), tokens[j].spaceBefore == 0 { j += 1 }
        guard isCapWord(j), joined(j), !HandLists.stopWords.contains(lower(j)) else { return }
        var end = j
        while isCapWord(end + 1), joined(end + 1),
            isNameLike(end + 1) || HandLists.institutionHeads.contains(lower(end + 1))
        {
            end += 1
        }
        add(p, end, .location)
    }

    /// `the Elmwood clinic`, `NYU Langone clinic`: a capitalised run closed by a lower-case facility word.
    private mutating func facility(_ f: Int) {
        var p = f - 1
        while p >= 0, f - p <= 2, tokens[p].kind == .word, !tokens[p].capitalized,
            HandLists.facilityModifiers.contains(tokens[p].lower),
            joined(p + 1)
        {
            p -= 1
        }
        guard isCapWord(p) || (tokens.indices.contains(p) && tokens[p].upper && tokens[p].isAlnum), joined(p + 1) else {
            return
        }
        let start = capRunStart(endingAt: p, max: 3)
        let run = (start...p).filter { tokens[$0].kind == .word }
        guard run.contains(where: { !common($0) || tokens[$0].upper }) else { return }
        add(start, f, .location)
    }

    /// `123 Main Street`, `6750 Koskikatu 25 Apt. 864`: a house number before a capitalised run with a street
    /// suffix or an unknown word; continues over the rest of the address block.
    private mutating func street(_ n: Int) {
        guard isCapWord(n + 1) || HandLists.streetPrefixes.contains(lower(n + 1)), joined(n + 1) else { return }
        var k = n + 1
        var last = -1
        var unknown = false
        while k < count, k - n <= 4, joined(k) {
            if isCapWord(k) || (tokens[k].kind == .word && HandLists.streetPrefixes.contains(lower(k)) && k == n + 1) {
                if HandLists.streetSuffixes.contains(lower(k)) || HandLists.streetPrefixes.contains(lower(k)) {
                    unknown = true
                }
                if !common(k) { unknown = true }
                last = k
            } else if isSymbol(k, "."), last == k - 1 {
                // `St.` abbreviation
            } else if tokens[k].kind == .word,
                ["de", "do", "da", "del", "la", "le", "van", "von", "der", "di"].contains(lower(k))
            {
            } else {
                break
            }
            k += 1
        }
        guard last >= 0, unknown, tokens[n].length >= 2 || HandLists.streetSuffixes.contains(lower(last)) else {
            return
        }
        add(houseNumberStart(n), continueAddress(from: last), .location)
    }

    /// A number (or two: `230 107 Igias Street`) before `n` on the same line belongs to the address.
    func houseNumberStart(_ n: Int) -> Int {
        var s = n
        while isNumber(s - 1), joined(s), n - s < 2 { s -= 1 }
        return s
    }

    /// `Apt. 864`, `P.O. Box 12`, `Suite 200`, `Room 12B`, `FPO AP 93757`.
    private mutating func unit(_ u: Int) {
        var j = u + 1
        var start = u
        if lower(u) == "box", isSymbol(u - 1, "."), lower(u - 2) == "o", isSymbol(u - 3, "."), lower(u - 4) == "p" {
            start = u - 4
        }
        if lower(u) == "box", lower(u - 1) == "po" { start = u - 1 }
        if lower(u) == "p", isSymbol(u + 1, "."), lower(u + 2) == "o" { return }  // handled at `Box`
        start = houseNumberStart(start)
        while isSymbol(j, ".") || isSymbol(j, "#") || lower(j) == "box" { j += 1 }
        if ["apo", "fpo", "dpo"].contains(lower(u)), tokens.indices.contains(j), tokens[j].upper, tokens[j].length == 2
        {
            j += 1
        }
        guard j < count, tokens[j].kind == .number || (tokens[j].kind == .mixed && tokens[j].length <= 6),
            joined(j, space: 2)
        else {
            return
        }
        if lower(u) == "room" || lower(u) == "bed" || lower(u) == "floor" || lower(u) == "fl" {
            add(u, j, .location)
            return
        }
        add(start, continueAddress(from: j), .location)
    }

    /// `lives in Houston`, `from Store Merløse`, `at Mercy`: a capitalised run after a place cue that is not
    /// made of ordinary words only.
    private mutating func cuedPlace(_ c: Int) {
        var j = c + 1
        if ["in", "to"].contains(lower(j)), ["moved", "lives", "live", "living", "born"].contains(lower(c)) { j += 1 }
        if lower(j) == "the" { j += 1 }
        var last = -1
        var unknown = false
        var k = j
        while isCapWord(k), joined(k), k - j < 3, !HandLists.stopWords.contains(lower(k)) {
            if !common(k) || place(k) { unknown = true }
            if HandLists.months[lower(k)] != nil || HandLists.weekdays.contains(lower(k)) { return }
            last = k
            k += 1
        }
        if last >= 0, unknown { add(j, last, .location) }
    }

    /// Extends an address over the lines that follow the street: numbers, capitalised words, codes, commas and
    /// unit words, stopping at ordinary lower-case words or a new sentence.
    func continueAddress(from last: Int) -> Int {
        var end = last
        var k = last + 1
        var breaks = 0
        while k < count, k - last <= 16 {
            let t = tokens[k]
            if t.lineBreakBefore {
                breaks += 1
                if breaks > 3 { break }
            }
            if t.kind == .number || t.kind == .mixed {
                end = k
            } else if t.kind == .word, HandLists.idCues.contains(t.lower), !(t.upper && t.length == 2) {
                break  // `SSN 999-…` on the next line is not the address (`NO`, `ID` may be region codes)
            } else if t.kind == .word, t.upper, t.length <= 3 {
                end = k  // state or province code: `, ON`, `NO 14908`
            } else if t.kind == .word, !t.capitalized, HandLists.particles.contains(t.lower), isCapWord(k + 1),
                joined(k + 1)
            {
                // `Caxias do Sul`
            } else if t.kind == .word, t.length == 1, isSymbol(k + 1, "."), isNumber(k + 2) {
                end = k  // `u. 15` (utca)
            } else if t.kind == .word {
                let w = t.lower
                if HandLists.stopWords.contains(w) { break }
                if HandLists.unitWords.contains(w) || place(k) {
                    end = k
                } else if t.capitalized {
                    if isSymbol(k - 1, "."), common(k) { break }
                    end = k
                } else if !common(k) {
                    end = k
                } else {
                    break
                }
            } else if isSymbol(k, ",") || isSymbol(k, "-") || isSymbol(k, "(") || isSymbol(k, ")") || isSymbol(k, "#") {
            } else if isSymbol(k, ".") {
                if isCapWord(k + 1), common(k + 1), !HandLists.unitWords.contains(lower(k + 1)),
                    !tokens[k + 1].lineBreakBefore
                {
                    break
                }
            } else {
                break
            }
            k += 1
        }
        return end
    }
}
