/// A stretch of free text found to be PHI, in Unicode scalar (code point) offsets, end exclusive: the
/// offsets `score_deid.py` reads.
public struct PHISpan: Hashable, Sendable {
    public var start: Int
    public var end: Int
    public var type: PHIType

    public init(start: Int, end: Int, type: PHIType) {
        self.start = start
        self.end = end
        self.type = type
    }
}

/// The kinds of PHI the scrubber reports; the replacement text is `[TYPE]` (dates are shifted instead).
public enum PHIType: String, Hashable, Sendable, CaseIterable, Codable {
    case name = "NAME"
    case date = "DATE"
    case age = "AGE"
    case phone = "PHONE"
    case email = "EMAIL"
    case url = "URL"
    case id = "ID"
    case location = "LOCATION"
    case organization = "ORG"
    case profession = "PROFESSION"
    case ip = "IP"
    case other = "OTHER"
}
