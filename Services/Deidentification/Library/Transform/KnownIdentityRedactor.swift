import DeidScrubber
import Foundation

/// The last line of defence, shared by the free-text scrubber and the egress gate: finds the patient's own
/// identifiers in text, ignoring case and diacritics, on word boundaries, and for numbers also with their
/// punctuation removed (`555-0142` matches `5550142`).
public struct KnownIdentityMatcher: Sendable {
    struct Needle: Sendable {
        var kind: String
        var folded: String
        var digitsOnly: Bool
        /// A name that is also an ordinary word ("White") matches only capitalised: "white count" is not PHI.
        var capitalisedOnly = false
    }

    let needles: [Needle]

    public init(_ known: KnownIdentity) {
        var needles: [Needle] = []
        for (kind, value) in known.needles {
            let folded = Self.fold(value)
            guard folded.count >= 2 else { continue }
            // A two- or three-character id (`14`) is everywhere (times, counts) and identifies no one alone.
            if kind == "identifier", folded.count < 4 || (folded.allSatisfy(\.isNumber) && folded.count < 5) { continue }
            needles.append(
                Needle(
                    kind: kind, folded: folded, digitsOnly: false,
                    capitalisedOnly: kind == "name" && Lexicon.shared.isOrdinaryWord(folded)))
            let digits = value.filter(\.isNumber)
            if digits.count >= 7, digits.count != folded.count {
                needles.append(Needle(kind: kind, folded: digits, digitsOnly: true))
            }
        }
        self.needles = needles
    }

    /// Lower-case, without diacritics.
    static func fold(_ text: String) -> String {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// The kinds of the needles found in `text`.
    public func kinds(in text: String) -> [String] {
        // All-ASCII text (nearly every string) is searched byte-wise, with the same result; anything else goes
        // through Foundation's case- and diacritic-insensitive search.
        let ascii = ASCIIWordSearch(text)
        var digits: String?
        return needles.filter { needle in
            if needle.digitsOnly {
                if digits == nil { digits = ascii?.digits ?? text.filter(\.isNumber) }
                return digits!.contains(needle.folded)
            }
            if let ascii, let found = ascii.contains(needle.folded, capitalisedOnly: needle.capitalisedOnly) {
                return found
            }
            return !Self.ranges(of: needle, in: text).isEmpty
        }.map(\.kind)
    }

    /// Ranges of `needle` in `haystack`, ignoring case and diacritics, that are not inside a longer word.
    static func wordRanges(_ haystack: String, _ needle: String) -> [Range<String.Index>] {
        var result: [Range<String.Index>] = []
        var start = haystack.startIndex
        while start < haystack.endIndex,
            let range = haystack.range(
                of: needle, options: [.caseInsensitive, .diacriticInsensitive], range: start..<haystack.endIndex)
        {
            let before = range.lowerBound == haystack.startIndex ? nil : haystack[haystack.index(before: range.lowerBound)]
            let after = range.upperBound == haystack.endIndex ? nil : haystack[range.upperBound]
            if !(before.map { $0.isLetter || $0.isNumber } ?? false), !(after.map { $0.isLetter || $0.isNumber } ?? false) {
                result.append(range)
            }
            start = range.upperBound
        }
        return result
    }

    /// A needle's word ranges in `text`, capitalised ones only where the needle asks for that.
    static func ranges(of needle: Needle, in text: String) -> [Range<String.Index>] {
        let found = wordRanges(text, needle.folded)
        guard needle.capitalisedOnly else { return found }
        return found.filter { text[$0].first?.isUppercase == true }
    }
}

/// A scrubber that replaces only the patient's own identifiers: used until (and beneath) the full scrubber.
public struct KnownIdentityRedactor: TextScrubbing {
    public init() {}

    public func scrub(_ text: String, known: KnownIdentity, shiftDays: Int) throws -> (text: String, spans: [String: Int]) {
        var result = text
        var spans: [String: Int] = [:]
        let matcher = KnownIdentityMatcher(known)
        // Longest first, so "Jane Doe" goes before "Jane".
        for needle in matcher.needles.filter({ !$0.digitsOnly }).sorted(by: { $0.folded.count > $1.folded.count }) {
            for range in KnownIdentityMatcher.ranges(of: needle, in: result).reversed() {
                result.replaceSubrange(range, with: "[\(Self.tag(needle.kind))]")
                spans[Self.tag(needle.kind), default: 0] += 1
            }
        }
        return (result, spans)
    }

    static func tag(_ kind: String) -> String {
        switch kind {
        case "name": "NAME"
        case "phone": "PHONE"
        case "email": "EMAIL"
        case "address", "city", "postal_code": "LOCATION"
        default: "ID"
        }
    }
}
