/// Turns the detectors' overlapping hits into sorted, non-overlapping spans.
enum SpanMerger {
    /// Same-type spans that overlap or are one blank apart are joined (`John` + `Smith`); where types differ the
    /// earlier (then longer) span keeps the shared scalars.
    static func merge(_ spans: [PHISpan], scalars: [Unicode.Scalar]) -> [PHISpan] {
        let sorted = spans.map { trimPossessive(extendHyphens($0, scalars), scalars) }.sorted {
            $0.start != $1.start ? $0.start < $1.start : $0.end > $1.end
        }
        var out: [PHISpan] = []
        out.reserveCapacity(sorted.count)
        for var span in sorted {
            guard var last = out.last else {
                out.append(span)
                continue
            }
            if span.start < last.end {
                if span.end <= last.end { continue }
                if span.type == last.type {
                    last.end = span.end
                    out[out.count - 1] = last
                    continue
                }
                span.start = last.end
            } else if span.type == last.type, joinable(scalars[last.end..<span.start], span.type) {
                last.end = span.end
                out[out.count - 1] = last
                continue
            }
            out.append(span)
        }
        return out
    }

    /// What may sit between two spans of one type that are one item: a blank, `, ` (`Boston, MA`, `Hawkins,
    /// Richardson`), and for places and organisations ` and `/` & ` (`Brigham and Women's`).
    private static func joinable(_ gap: ArraySlice<Unicode.Scalar>, _ type: PHIType) -> Bool {
        if gap.count <= 1 { return gap.allSatisfy { $0 == " " } }
        guard gap.count <= 5, type != .id, type != .phone, type != .email, type != .url else { return false }
        let text = String(String.UnicodeScalarView(gap))
        if text == ", " || text == "," { return true }
        return (type == .location || type == .organization) && (text == " and " || text == " & ")
    }

    /// `Smith's case`: the possessive ending is not part of a person's name.
    private static func trimPossessive(_ span: PHISpan, _ scalars: [Unicode.Scalar]) -> PHISpan {
        guard span.type == .name, span.end - span.start > 3,
            scalars[span.end - 1] == "s" || scalars[span.end - 1] == "S",
            Scalars.isApostrophe(scalars[span.end - 2])
        else { return span }
        var s = span
        s.end -= 2
        return s
    }

    /// `Cedars-Sinai`, `Anne-Marie`: a name or place also takes the words it is hyphenated to.
    private static func extendHyphens(_ span: PHISpan, _ scalars: [Unicode.Scalar]) -> PHISpan {
        guard span.type == .name || span.type == .location || span.type == .organization || span.type == .profession
        else {
            return span
        }
        var s = span
        while s.start >= 2, scalars[s.start - 1] == "-", Scalars.isLetter(scalars[s.start - 2]) {
            var k = s.start - 1
            while k > 0, Scalars.isLetter(scalars[k - 1]) { k -= 1 }
            s.start = k
        }
        while s.end + 1 < scalars.count, scalars[s.end] == "-", Scalars.isLetter(scalars[s.end + 1]) {
            var k = s.end + 1
            while k < scalars.count, Scalars.isLetter(scalars[k]) { k += 1 }
            s.end = k
        }
        return s
    }
}
