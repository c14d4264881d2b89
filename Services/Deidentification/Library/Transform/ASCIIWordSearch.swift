/// `KnownIdentityMatcher.wordRanges` for text that is all ASCII: Foundation's case- and diacritic-insensitive
/// search then compares ASCII lower case (no diacritics to fold), and a word boundary is an ASCII letter or
/// digit. Same scan as there: each match is checked, and the next search starts after it.
struct ASCIIWordSearch {
    let bytes: [UInt8]
    let lowered: [UInt8]

    /// nil unless every byte is ASCII (and no CR: "\r\n" is one Character to Swift, two units to the search).
    init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
        self.bytes = bytes
        lowered = bytes.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
    }

    /// The digits of the text, as `filter(\.isNumber)` gives them for ASCII.
    var digits: String {
        String(decoding: bytes.filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self)
    }

    /// Whether the (folded) needle occurs as a whole word; nil when the needle is not ASCII (search it the
    /// Foundation way).
    func contains(_ needle: String, capitalisedOnly: Bool) -> Bool? {
        let needle = Array(needle.utf8)
        guard !needle.isEmpty, needle.allSatisfy({ $0 < 0x80 && $0 != 0x0D }) else { return nil }
        let lowerNeedle = needle.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }
        var start = 0
        while start + lowerNeedle.count <= lowered.count {
            guard let at = find(lowerNeedle, from: start) else { return false }
            let end = at + lowerNeedle.count
            let before = at > 0 && Self.isWordByte(bytes[at - 1])
            let after = end < bytes.count && Self.isWordByte(bytes[end])
            if !before, !after, !capitalisedOnly || (bytes[at] >= 0x41 && bytes[at] <= 0x5A) { return true }
            start = end
        }
        return false
    }

    private func find(_ needle: [UInt8], from start: Int) -> Int? {
        let last = lowered.count - needle.count
        guard start <= last else { return nil }
        var index = start
        while index <= last {
            if lowered[index] == needle[0] {
                var matched = 1
                while matched < needle.count, lowered[index + matched] == needle[matched] { matched += 1 }
                if matched == needle.count { return index }
            }
            index += 1
        }
        return nil
    }

    private static func isWordByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
    }
}
