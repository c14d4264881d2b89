/// MSH, the message header.
public struct MSHSegment: HL7SegmentView {
    public static let segmentID = "MSH"
    public let segment: HL7Segment
    public init(unchecked segment: HL7Segment) { self.segment = segment }

    public var sendingApplication: HL7HD { HL7HD(segment.field(3)) }
    public var sendingFacility: HL7HD { HL7HD(segment.field(4)) }
    public var receivingApplication: HL7HD { HL7HD(segment.field(5)) }
    public var receivingFacility: HL7HD { HL7HD(segment.field(6)) }
    /// MSH-7, date/time of message.
    public var dateTime: HL7DateTime? { segment.field(7).dateTime }
    /// MSH-9.1 (`ADT`).
    public var messageCode: String? { segment.string(9, 1) }
    /// MSH-9.2 (`A01`).
    public var triggerEvent: String? { segment.string(9, 2) }
    /// MSH-9.3 (`ADT_A01`).
    public var messageStructure: String? { segment.string(9, 3) }
    /// MSH-9 as sent (`ADT^A01^ADT_A01`).
    public var messageType: String { segment.field(9).encoded }
    /// MSH-10, the id the sender expects back in MSA-2.
    public var controlID: String? { text(10) }
    /// MSH-11.1: P (production), T (training), D (debugging).
    public var processingID: String? { segment.string(11, 1) }
    public var processingMode: String? { segment.string(11, 2) }
    /// MSH-12.1 (`2.5.1`).
    public var version: String? { segment.string(12, 1) }
    public var sequenceNumber: String? { text(13) }
    /// MSH-15 and MSH-16 (HL7 table 0155: AL, NE, ER, SU), for enhanced acknowledgment mode.
    public var acceptAckType: String? { text(15) }
    public var applicationAckType: String? { text(16) }
    public var countryCode: String? { text(17) }
    /// MSH-18 as sent, every repetition (the first is the message's character set).
    public var characterSets: [String] { repeated(18).compactMap { $0.component(1).string } }
    public var principalLanguage: HL7CWE { HL7CWE(segment.field(19)) }
    public var messageProfileIdentifiers: [HL7EI] { repeated(21).map(HL7EI.init) }
}
