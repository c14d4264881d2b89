import Foundation

/// A policy duration written `30s`, `15m` or `2h`; encoded as whole seconds so the hash does not depend on the
/// unit chosen (`60m` and `1h` are the same policy).
public struct PolicyDuration: Hashable, Sendable, Codable, Comparable {
    public var seconds: Int

    public init(seconds: Int) { self.seconds = seconds }

    public static func minutes(_ count: Int) -> PolicyDuration { PolicyDuration(seconds: count * 60) }
    public static func hours(_ count: Int) -> PolicyDuration { PolicyDuration(seconds: count * 3600) }

    /// Parses `<digits><s|m|h>`; nil for anything else (no fractions, no compound forms).
    public init?(parsing text: String) {
        let digits = text.dropLast()
        guard let unit = text.last, !digits.isEmpty, digits.count <= 7, digits.allSatisfy({ ("0"..."9").contains($0) }),
            let count = Int(digits)
        else { return nil }
        switch unit {
        case "s": seconds = count
        case "m": seconds = count * 60
        case "h": seconds = count * 3600
        default: return nil
        }
    }

    public var timeInterval: TimeInterval { TimeInterval(seconds) }

    public static func < (lhs: PolicyDuration, rhs: PolicyDuration) -> Bool { lhs.seconds < rhs.seconds }

    public init(from decoder: any Decoder) throws {
        seconds = try decoder.singleValueContainer().decode(Int.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(seconds)
    }
}

extension Date {
    static func + (date: Date, duration: PolicyDuration) -> Date { date.addingTimeInterval(duration.timeInterval) }
}

/// Shell-style globs with `*` only (unit codes and model versions): `ICU*`, `1.*`, `*`.
enum Glob {
    static func matches(_ pattern: String, _ text: String) -> Bool {
        matches(Array(pattern.unicodeScalars)[...], Array(text.unicodeScalars)[...])
    }

    private static func matches(_ pattern: ArraySlice<Unicode.Scalar>, _ text: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = pattern.first else { return text.isEmpty }
        if first == "*" {
            let rest = pattern.dropFirst()
            return text.indices.contains { matches(rest, text[$0...]) } || matches(rest, text[text.endIndex...])
        }
        guard let head = text.first, head == first else { return false }
        return matches(pattern.dropFirst(), text.dropFirst())
    }
}
