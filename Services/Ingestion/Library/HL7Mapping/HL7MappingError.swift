/// Why a parsed HL7 v2 message could not be mapped to canonical events, and where.
///
/// Like `HL7ParseError`, the description names positions (segment, field, component) and segment ids,
/// never field contents: these errors end up in logs, metrics, ACK ERR segments and dead-letter headers.
public struct HL7MappingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Dead-letter reason codes (issue 4, item 6) the mapping produces.
    public enum Code: String, Hashable, Sendable, CaseIterable {
        /// Well-formed ER7, but a field the mapping needs is missing or invalid (no MSH-10, no PID-3, …).
        case validationFailed = "validation_failed"
        /// A message type or trigger event Vigil does not map, when the mapper is configured to reject such
        /// messages instead of ignoring them (`HL7Mapper.Configuration.unsupportedMessages`).
        case unsupportedMessage = "unsupported_message"
    }

    public var code: Code
    /// A fixed explanation; a `StaticString` so that no runtime value can end up in it.
    public var reason: StaticString
    /// The segment id (`PID`), never other content.
    public var segmentID: String?
    /// 1-based position of the segment within its message (as in `HL7ParseError`).
    public var segmentIndex: Int?
    /// HL7 field number.
    public var field: Int?
    /// Component number within the field.
    public var component: Int?

    public init(
        _ code: Code, _ reason: StaticString, segmentID: String? = nil, segmentIndex: Int? = nil, field: Int? = nil,
        component: Int? = nil
    ) {
        self.code = code
        self.reason = reason
        self.segmentID = segmentID
        self.segmentIndex = segmentIndex
        self.field = field
        self.component = component
    }

    /// `PID-3`, `PID-3.4` or `PID`; nil without a segment id.
    public var location: String? {
        guard let segmentID else { return nil }
        guard let field else { return segmentID }
        guard let component else { return "\(segmentID)-\(field)" }
        return "\(segmentID)-\(field).\(component)"
    }

    public var description: String {
        var text = "HL7MappingError.\(code.rawValue)"
        if let segmentIndex { text += " segment=\(segmentIndex)" }
        if let location { text += " at=\(location)" }
        return text + ": \(reason)"
    }

    public static func == (lhs: HL7MappingError, rhs: HL7MappingError) -> Bool {
        lhs.code == rhs.code && lhs.reason.description == rhs.reason.description && lhs.segmentID == rhs.segmentID
            && lhs.segmentIndex == rhs.segmentIndex && lhs.field == rhs.field && lhs.component == rhs.component
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(segmentID)
        hasher.combine(segmentIndex)
        hasher.combine(field)
    }
}
