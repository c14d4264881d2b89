/// One token of a note: a run of letters and digits (with inner apostrophes), or one other non-space scalar.
/// Offsets are Unicode scalar indices, end exclusive.
struct Token {
    enum Kind: UInt8 { case word, number, mixed, symbol }

    var start: Int
    var end: Int
    var kind: Kind
    /// First letter upper case (`Smith`, `SMITH`, `McDonald`).
    var capitalized = false
    /// Has letters and none in lower case (`NATO`, `GB90X`).
    var upper = false
    /// Whitespace before this token contains a line break.
    var lineBreakBefore = false
    /// Number of whitespace scalars before this token.
    var spaceBefore = 0
    /// Lower-cased text for words, numbers and mixed tokens; the symbol itself otherwise.
    var lower = ""

    var length: Int { end - start }
    var isAlnum: Bool { kind != .symbol }
}

enum Scalars {
    @inline(__always) static func isDigit(_ s: Unicode.Scalar) -> Bool { s.value &- 48 < 10 }

    @inline(__always) static func isLetter(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 128 { return (v | 0x20) &- 97 < 26 }
        // U+2206 INCREMENT stands in for the Greek capital delta in some data.
        return s.properties.isAlphabetic || v == 0x2206
    }

    @inline(__always) static func isSpace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 128 { return v == 32 || (v >= 9 && v <= 13) }
        return s.properties.isWhitespace
    }

    @inline(__always) static func isUpper(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 128 { return v &- 65 < 26 }
        return s.properties.isUppercase
    }

    @inline(__always) static func isLower(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 128 { return v &- 97 < 26 }
        return s.properties.isLowercase
    }

    static func isMark(_ s: Unicode.Scalar) -> Bool {
        switch s.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    static func isApostrophe(_ s: Unicode.Scalar) -> Bool { s == "'" || s == "\u{2019}" }
}

enum Tokenizer {
    static func tokenize(_ scalars: [Unicode.Scalar]) -> [Token] {
        var tokens: [Token] = []
        tokens.reserveCapacity(scalars.count / 4)
        var i = 0
        var space = 0
        var lineBreak = false
        let n = scalars.count
        while i < n {
            let s = scalars[i]
            if Scalars.isSpace(s) {
                space += 1
                if s == "\n" || s == "\r" { lineBreak = true }
                i += 1
                continue
            }
            let letter = Scalars.isLetter(s)
            var token = Token(start: i, end: i + 1, kind: .symbol)
            token.spaceBefore = space
            token.lineBreakBefore = lineBreak
            space = 0
            lineBreak = false
            if letter || Scalars.isDigit(s) {
                var letters = 0
                var digits = 0
                var lowers = 0
                var j = i
                var lower = String.UnicodeScalarView()
                while j < n {
                    let c = scalars[j]
                    if Scalars.isDigit(c) {
                        digits += 1
                    } else if Scalars.isLetter(c) {
                        letters += 1
                        if Scalars.isLower(c) { lowers += 1 }
                    } else if c.value >= 0x300, Scalars.isMark(c) {
                        // combining accent (`Rene\u{301}e`): part of the word
                    } else if Scalars.isApostrophe(c), letters > 0, j + 1 < n, Scalars.isLetter(scalars[j + 1]) {
                        // inner apostrophe: O'Brien, Vincent's
                    } else {
                        break
                    }
                    lower.append(lowercase(c))
                    j += 1
                }
                token.end = j
                token.kind = digits == 0 ? .word : (letters == 0 ? .number : .mixed)
                token.capitalized = letter && Scalars.isUpper(s)
                token.upper = letters > 0 && lowers == 0
                token.lower = String(lower)
                i = j
            } else {
                token.lower = String(Character(s))
                i += 1
            }
            tokens.append(token)
        }
        return tokens
    }

    @inline(__always) static func lowercase(_ s: Unicode.Scalar) -> Unicode.Scalar {
        let v = s.value
        if v < 128 { return v &- 65 < 26 ? Unicode.Scalar(v + 32)! : s }
        if s == "\u{2019}" { return "'" }
        let mapped = s.properties.lowercaseMapping.unicodeScalars
        return mapped.count == 1 ? mapped.first! : s
    }
}
