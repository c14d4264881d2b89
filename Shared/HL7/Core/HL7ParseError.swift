/// Why bytes could not be read as HL7 v2, and where.
///
/// The description names positions (message, segment, field, byte offset) and segment ids, never field
/// contents: messages carry patient data, and these errors end up in logs, metrics and dead-letter headers.
public struct HL7ParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Stable reason codes; the raw values are the dead-letter reason codes.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// Not ER7 (no MSH header, invalid encoding characters, malformed segment, bad batch structure).
        case parseError = "parse_error"
        /// Bytes not valid in the message's character set, a NUL byte, or an unsupported MSH-18 character set.
        case encodingError = "encoding_error"
        /// Input or MLLP frame larger than the configured limit.
        case tooLarge = "too_large"
        /// Well-formed but of a kind this module does not read (e.g. the XML encoding of HL7 v2).
        case unsupportedMessage = "unsupported_message"
    }

    public var code: Code
    /// A fixed explanation; a `StaticString` so that no runtime value can end up in it.
    public var reason: StaticString
    /// 1-based position of the message within a batch or stream, when parsing more than one.
    public var messageIndex: Int?
    /// 1-based position of the segment within its message.
    public var segmentIndex: Int?
    /// The segment id (three letters or digits, checked before it is stored here), never other content.
    public var segmentID: String?
    /// HL7 field number (MSH-1 is the field separator).
    public var field: Int?
    /// Index in the input bytes where the problem was found.
    public var byteOffset: Int?

    public init(
        _ code: Code, _ reason: StaticString, segmentIndex: Int? = nil, segmentID: String? = nil, field: Int? = nil,
        byteOffset: Int? = nil, messageIndex: Int? = nil
    ) {
        self.code = code
        self.reason = reason
        self.segmentIndex = segmentIndex
        self.segmentID = segmentID
        self.field = field
        self.byteOffset = byteOffset
        self.messageIndex = messageIndex
    }

    public var description: String {
        var text = "HL7ParseError.\(code.rawValue)"
        if let messageIndex { text += " message=\(messageIndex)" }
        if let segmentIndex { text += " segment=\(segmentIndex)" }
        if let segmentID { text += " id=\(segmentID)" }
        if let field { text += " field=\(field)" }
        if let byteOffset { text += " offset=\(byteOffset)" }
        return text + ": \(reason)"
    }

    public static func == (lhs: HL7ParseError, rhs: HL7ParseError) -> Bool {
        lhs.code == rhs.code && lhs.reason.description == rhs.reason.description
            && lhs.messageIndex == rhs.messageIndex && lhs.segmentIndex == rhs.segmentIndex
            && lhs.segmentID == rhs.segmentID && lhs.field == rhs.field && lhs.byteOffset == rhs.byteOffset
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(segmentIndex)
        hasher.combine(field)
        hasher.combine(byteOffset)
    }

    /// The same error, numbered within a batch.
    func inMessage(_ index: Int) -> HL7ParseError {
        var copy = self
        copy.messageIndex = index
        return copy
    }

    /// The same error with offsets moved by `delta` (for frames cut out of a larger input).
    func shifted(by delta: Int) -> HL7ParseError {
        var copy = self
        if let offset = copy.byteOffset { copy.byteOffset = offset + delta }
        return copy
    }
}
