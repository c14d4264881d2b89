/// XHTML (narrative `div`, HTML/XML attachments) → plain text: tags removed, block elements and `<br>` as
/// line breaks (no empty lines), entities decoded, runs of spaces collapsed. Script and style content is
/// dropped.
enum FHIRXHTML {
    private static let blockTags: Set<String> = [
        "br", "p", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "pre", "blockquote",
    ]

    static func plainText(_ markup: String) -> String {
        var output: [Unicode.Scalar] = []
        var scalars = markup.unicodeScalars[...]
        var skipping: String?  // inside <script> or <style>
        while let scalar = scalars.first {
            scalars.removeFirst()
            if scalar == "<" {
                let close = scalars.firstIndex(of: ">") ?? scalars.endIndex
                let tag = String(String.UnicodeScalarView(scalars[..<close]))
                scalars = close < scalars.endIndex ? scalars[scalars.index(after: close)...] : scalars[close...]
                let name = tagName(tag)
                if let skip = skipping {
                    if tag.hasPrefix("/") && name == skip { skipping = nil }
                    continue
                }
                if (name == "script" || name == "style") && !tag.hasPrefix("/") && !tag.hasSuffix("/") {
                    skipping = name
                } else if blockTags.contains(name) {
                    output.append("\n")
                } else if name == "td" || name == "th" {
                    output.append(" ")
                }
                continue
            }
            if skipping != nil { continue }
            if scalar == "&", let semicolon = scalars.prefix(12).firstIndex(of: ";"),
                let decoded = entity(String(String.UnicodeScalarView(scalars[..<semicolon])))
            {
                output.append(decoded)
                scalars = scalars[scalars.index(after: semicolon)...]
                continue
            }
            output.append(scalar)
        }
        return collapse(output)
    }

    private static func tagName(_ tag: String) -> String {
        var body = Substring(tag)
        if body.hasPrefix("/") { body = body.dropFirst() }
        let name = body.prefix { $0.isLetter || $0.isNumber }
        return name.lowercased()
    }

    private static func entity(_ name: String) -> Unicode.Scalar? {
        switch name {
        case "amp": return "&"
        case "lt": return "<"
        case "gt": return ">"
        case "quot": return "\""
        case "apos": return "'"
        case "nbsp": return " "
        default:
            guard name.hasPrefix("#") else { return nil }
            let digits = name.dropFirst()
            let value =
                digits.hasPrefix("x") || digits.hasPrefix("X")
                ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
            return value.flatMap(Unicode.Scalar.init)
        }
    }

    /// Collapses spaces within lines, trims lines and drops empty ones.
    private static func collapse(_ scalars: [Unicode.Scalar]) -> String {
        var lines: [String] = []
        var current = ""
        var pendingSpace = false
        for scalar in scalars {
            if scalar == "\n" || scalar == "\r" {
                lines.append(current)
                current = ""
                pendingSpace = false
            } else if scalar == " " || scalar == "\t" || scalar == "\u{A0}" {
                pendingSpace = !current.isEmpty
            } else {
                if pendingSpace { current.append(" ") }
                pendingSpace = false
                current.unicodeScalars.append(scalar)
            }
        }
        lines.append(current)
        return lines.filter { !$0.isEmpty }.joined(separator: "\n")
    }
}
