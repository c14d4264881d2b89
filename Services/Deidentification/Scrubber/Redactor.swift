/// Replaces spans with bracket tags, line by line so a note's layout survives.
enum Redactor {
    static func tag(_ type: PHIType) -> String {
        switch type {
        case .age: return "[AGE 90+]"
        case .organization: return "[ORG]"
        default: return "[\(type.rawValue)]"
        }
    }

    static func redact(_ text: String, spans: [PHISpan], dateShift: ((String) -> String?)?) -> String {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        out.reserveCapacity(scalars.count)
        var cursor = 0
        for span in spans.sorted(by: { $0.start < $1.start }) {
            let start = max(span.start, cursor)
            let end = min(span.end, scalars.count)
            guard start < end else { continue }
            out.append(contentsOf: scalars[cursor..<start])
            let original = String(String.UnicodeScalarView(scalars[start..<end]))
            if span.type == .date, let dateShift, let shifted = dateShift(original) {
                out.append(contentsOf: shifted.unicodeScalars)
            } else {
                replaceLines(scalars[start..<end], with: tag(span.type), into: &out)
            }
            cursor = end
        }
        out.append(contentsOf: scalars[cursor...])
        return String(out)
    }

    /// One tag per line of the span; line breaks and the blanks around them are kept.
    private static func replaceLines(
        _ part: ArraySlice<Unicode.Scalar>, with tag: String, into out: inout String.UnicodeScalarView
    ) {
        var pendingTag = false
        var blanks = String.UnicodeScalarView()
        for s in part {
            if s == "\n" || s == "\r" {
                if pendingTag { out.append(contentsOf: tag.unicodeScalars) }
                pendingTag = false
                out.append(contentsOf: blanks)
                blanks = String.UnicodeScalarView()
                out.append(s)
            } else if Scalars.isSpace(s) {
                if pendingTag { blanks.append(s) } else { out.append(s) }
            } else {
                pendingTag = true
                blanks = String.UnicodeScalarView()  // blanks inside a line are part of what the tag replaces
            }
        }
        if pendingTag { out.append(contentsOf: tag.unicodeScalars) }
        out.append(contentsOf: blanks)
    }
}
