/// The state of one `detect` call: the note as scalars, its tokens and the spans found so far. Detectors are
/// extensions on it, each one pass over the tokens.
struct Scan {
    let scalars: [Unicode.Scalar]
    let tokens: [Token]
    let lexicon: Lexicon
    var spans: [PHISpan] = []
    /// The note has no capitals at all (see `init`).
    var caseless = false
    /// Word-list membership of each token, looked up once (hashing strings is the scanner's main cost).
    let flags: [WordFlags]

    struct WordFlags: OptionSet {
        let rawValue: UInt8
        static let common = WordFlags(rawValue: 1)
        static let firstName = WordFlags(rawValue: 2)
        static let surname = WordFlags(rawValue: 4)
        static let place = WordFlags(rawValue: 8)
    }

    init(text: String, lexicon: Lexicon) {
        scalars = Array(text.unicodeScalars)
        var tokens = Tokenizer.tokenize(scalars)
        // Text with no capitals at all has lost its case: every word may be a proper noun, so the rules that
        // wait for a capital see one on each word (ordinary words are still filtered by the word lists).
        if !tokens.contains(where: { $0.capitalized }) {
            for i in tokens.indices where tokens[i].kind == .word { tokens[i].capitalized = true }
            caseless = true
        }
        self.tokens = tokens
        self.lexicon = lexicon
        flags = tokens.map { t in
            switch t.kind {
            case .symbol: return .common
            case .number: return []
            case .word, .mixed:
                var w = t.lower
                if w.hasSuffix("'s") { w.removeLast(2) }
                var f: WordFlags = Self.isCommon(w, lexicon) ? .common : []
                if lexicon.firstNames.contains(w) { f.insert(.firstName) }
                if lexicon.surnames.contains(w) { f.insert(.surname) }
                if lexicon.places.contains(w) { f.insert(.place) }
                return f
            }
        }
        spans.reserveCapacity(8)
    }

    var count: Int { tokens.count }

    mutating func add(_ first: Int, _ last: Int, _ type: PHIType) {
        spans.append(PHISpan(start: tokens[first].start, end: tokens[last].end, type: type))
    }

    // MARK: token tests

    @inline(__always) func lower(_ i: Int) -> String { i >= 0 && i < tokens.count ? tokens[i].lower : "" }

    @inline(__always) func isSymbol(_ i: Int, _ symbol: Unicode.Scalar) -> Bool {
        i >= 0 && i < tokens.count && tokens[i].kind == .symbol && scalars[tokens[i].start] == symbol
    }

    /// A capitalised word (letters only).
    @inline(__always) func isCapWord(_ i: Int) -> Bool {
        i >= 0 && i < tokens.count && tokens[i].kind == .word && tokens[i].capitalized
    }

    @inline(__always) func isNumber(_ i: Int) -> Bool { i >= 0 && i < tokens.count && tokens[i].kind == .number }

    /// A single capital letter, optionally followed by a full stop: a middle or last initial. Returns its last token.
    func initial(at i: Int) -> Int? {
        guard isCapWord(i), tokens[i].length == 1 else { return nil }
        return isSymbol(i + 1, ".") && tokens[i + 1].spaceBefore == 0 ? i + 1 : i
    }

    /// Tokens `i - 1` and `i` are on one line and at most `space` blanks apart.
    @inline(__always) func joined(_ i: Int, space: Int = 1) -> Bool {
        i > 0 && i < tokens.count && !tokens[i].lineBreakBefore && tokens[i].spaceBefore <= space
    }

    /// Lower-cased token text without a possessive `'s`.
    func bare(_ i: Int) -> String {
        var w = lower(i)
        if w.hasSuffix("'s") { w.removeLast(2) }
        return w
    }

    @inline(__always) func common(_ i: Int) -> Bool { i < 0 || i >= flags.count || flags[i].contains(.common) }
    @inline(__always) func firstName(_ i: Int) -> Bool { i >= 0 && i < flags.count && flags[i].contains(.firstName) }
    @inline(__always) func surname(_ i: Int) -> Bool { i >= 0 && i < flags.count && flags[i].contains(.surname) }
    @inline(__always) func place(_ i: Int) -> Bool { i >= 0 && i < flags.count && flags[i].contains(.place) }
    /// Token `i` is in the first-name or surname list.
    func name(_ i: Int) -> Bool { firstName(i) || surname(i) }

    func isCommon(_ word: String) -> Bool { Self.isCommon(word, lexicon) }

    /// An ordinary English (or clinical) word: never PHI on its own.
    static func isCommon(_ word: String, _ lexicon: Lexicon) -> Bool {
        var w = word
        if w.hasSuffix("'s") { w.removeLast(2) }
        if w.count <= 1 || w.hasPrefix("i'") { return true }
        if lexicon.english.contains(w) || HandLists.clinical.contains(w) || HandLists.demonyms.contains(w)
            || HandLists.clinicalWords.contains(w) || HandLists.months[w] != nil || HandLists.weekdays.contains(w)
        {
            return true
        }
        // A crude stand-in for affix rules: plurals and derived forms of listed words.
        for suffix in ["s", "es", "ies", "ions", "ion", "ing", "ed", "ly", "al", "ic", "ism", "ist", "ists", "ity"]
        where w.count > suffix.count + 3 && w.hasSuffix(suffix) {
            let stem = String(w.dropLast(suffix.count))
            if lexicon.english.contains(stem) || lexicon.english.contains(stem + "e")
                || lexicon.english.contains(stem + "y") || HandLists.clinical.contains(stem)
                || HandLists.clinicalWords.contains(stem)
            {
                return true
            }
        }
        return false
    }

    func isName(_ word: String) -> Bool {
        var w = word
        if w.hasSuffix("'s") { w.removeLast(2) }
        return lexicon.firstNames.contains(w) || lexicon.surnames.contains(w)
    }

    /// Token `i` starts a capitalised proper-noun-looking word that is no ordinary word.
    func isUnknownCap(_ i: Int) -> Bool { isCapWord(i) && !common(i) }

    /// Token `i` is a capitalised word, or a capitalised name/place part (`McDonald`, `O'Brien`).
    func isNameLike(_ i: Int) -> Bool {
        return isCapWord(i) && (name(i) || !common(i))
    }
}
