/// E-mail addresses, URLs and IP addresses, found per run of non-blank scalars.
extension Scan {
    mutating func detectChunks() {
        let n = scalars.count
        var i = 0
        while i < n {
            while i < n, Scalars.isSpace(scalars[i]) { i += 1 }
            var j = i
            var at = -1
            var dots = 0
            var colons = 0
            while j < n, !Scalars.isSpace(scalars[j]) {
                let s = scalars[j]
                if s == "@" { at = j } else if s == "." { dots += 1 } else if s == ":" { colons += 1 }
                j += 1
            }
            if j > i, at >= 0 || dots > 0 || colons >= 3 { chunk(i, j, at: at) }
            i = j
        }
    }

    private static let leading: Set<Unicode.Scalar> = ["(", "[", "{", "<", "\"", "'", "\u{201C}", "\u{2018}", ":", ","]
    private static let trailing: Set<Unicode.Scalar> = [
        ".", ",", ";", ":", "!", "?", ")", "]", "}", ">", "\"", "'", "\u{201D}", "\u{2019}",
    ]

    private mutating func chunk(_ start: Int, _ end: Int, at: Int) {
        var a = start
        var b = end
        while a < b, Self.leading.contains(scalars[a]) { a += 1 }
        while b > a, Self.trailing.contains(scalars[b - 1]) { b -= 1 }
        guard b - a >= 4 else { return }
        if at > a && at < b - 3 {
            // local part: letters, digits and . _ % + - ; domain: letters, digits, . - with a dot
            var s = at
            while s > a, isEmailScalar(scalars[s - 1]) { s -= 1 }
            var e = at + 1
            var dot = false
            while e < b,
                Scalars.isLetter(scalars[e]) || Scalars.isDigit(scalars[e]) || scalars[e] == "-" || scalars[e] == "."
            {
                if scalars[e] == "." { dot = true }
                e += 1
            }
            if s < at, dot { spans.append(PHISpan(start: s, end: e, type: .email)) }
            return
        }
        let lower = String(String.UnicodeScalarView(scalars[a..<b].map(Tokenizer.lowercase)))
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.")
            || lower.hasPrefix("ftp://")
        {
            spans.append(PHISpan(start: a, end: b, type: .url))
            return
        }
        if isIPv4(lower) || isIPv6(lower) {
            spans.append(PHISpan(start: a, end: b, type: .ip))
            return
        }
        if isDomain(lower) { spans.append(PHISpan(start: a, end: b, type: .url)) }
    }

    private func isEmailScalar(_ s: Unicode.Scalar) -> Bool {
        Scalars.isLetter(s) || Scalars.isDigit(s) || s == "." || s == "_" || s == "%" || s == "+" || s == "-"
    }

    private func isIPv4(_ s: String) -> Bool {
        let parts = s.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { p in
            p.count >= 1 && p.count <= 3 && p.allSatisfy(\.isASCII) && Int(p).map { $0 <= 255 } == true
        }
    }

    private func isIPv6(_ s: String) -> Bool {
        let parts = s.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 4, parts.count <= 8, s.contains(where: { $0.isLetter }) || s.contains("::") else {
            return false
        }
        return parts.allSatisfy { p in p.count <= 4 && p.allSatisfy(\.isHexDigit) }
            && parts.filter { !$0.isEmpty }.count >= 3
    }

    /// `name.tld` or `name.co.uk/path` with a known top-level domain.
    private func isDomain(_ s: String) -> Bool {
        let host = s.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)[0]
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        guard labels.count >= 2, let tld = labels.last, HandLists.tlds.contains(String(tld)) else { return false }
        guard let first = labels.first, first.count >= 2, first.contains(where: \.isLetter) else { return false }
        // `e.g.`-style abbreviations and `Dr.Smith` have one-letter or capitalised-word labels; real hosts don't.
        return labels.allSatisfy { l in !l.isEmpty && l.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" } }
    }
}
