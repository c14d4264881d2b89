/// Occupations (`nurse`, `Local transit bus driver`), only when the policy asks for them: Safe Harbor does not
/// list professions, and `the nurse` in a clinical note is rarely identifying.
extension Scan {
    private static let verbs = HandLists.set(
        "work works worked working became become becomes hired employed retired job occupation profession role")

    mutating func detectProfessions() {
        for h in 0..<count where tokens[h].kind == .word && HandLists.professionHeads.contains(tokens[h].lower) {
            var start = h
            var k = h - 1
            while k >= 0, h - k <= 7, !tokens[k + 1].lineBreakBefore {
                let t = tokens[k]
                if t.kind == .word {
                    let w = t.lower
                    if w == "and", k > 0, tokens[k - 1].kind == .word || isSymbol(k - 1, ","),
                        !HandLists.stopWords.contains(lower(k - 1)) || isSymbol(k - 1, ",")
                    {
                        k -= 1
                        continue
                    }
                    if HandLists.stopWords.contains(w) || Self.verbs.contains(w) || HandLists.titles.contains(w) {
                        break
                    }
                    if t.capitalized, name(k), !common(k) { break }
                    start = k
                } else if isSymbol(k, ","), k + 1 < h, tokens[k + 1].kind == .word, !tokens[k + 1].capitalized {
                } else {
                    break
                }
                k -= 1
            }
            add(start, h, .profession)
        }
    }
}
