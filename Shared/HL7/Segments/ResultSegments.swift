/// OBR, observation request.
public struct OBRSegment: HL7SegmentView {
    public static let segmentID = "OBR"
    public let segment: HL7Segment
    public init(unchecked segment: HL7Segment) { self.segment = segment }

    public var setID: String? { text(1) }
    public var placerOrderNumber: HL7EI { HL7EI(segment.field(2)) }
    public var fillerOrderNumber: HL7EI { HL7EI(segment.field(3)) }
    public var universalServiceIdentifier: HL7CWE { HL7CWE(segment.field(4)) }
    public var priority: String? { text(5) }
    /// OBR-7, specimen collection or observation start.
    public var observationDateTime: HL7DateTime? { segment.field(7).dateTime }
    public var observationEndDateTime: HL7DateTime? { segment.field(8).dateTime }
    public var specimenReceivedDateTime: HL7DateTime? { segment.field(14).dateTime }
    public var orderingProviders: [HL7XCN] { repeated(16).map(HL7XCN.init) }
    public var resultsReportedDateTime: HL7DateTime? { segment.field(22).dateTime }
    public var diagnosticServiceSection: String? { text(24) }
    /// OBR-25, HL7 table 0123: F, C, P, X, ...
    public var resultStatus: String? { text(25) }
    /// OBR-26 (PRL): the parent OBX's identifier and sub-id.
    public var parentResult: HL7Element { segment.field(26) }
}

/// OBX, one observation or result.
public struct OBXSegment: HL7SegmentView {
    public static let segmentID = "OBX"
    public let segment: HL7Segment
    public init(unchecked segment: HL7Segment) { self.segment = segment }

    public var setID: String? { text(1) }
    /// OBX-2, HL7 table 0125: NM, SN, ST, TX, FT, CE, CWE, DT, TS, ED, ...; tells how to read OBX-5.
    public var valueType: String? { text(2) }
    public var observationIdentifier: HL7CWE { HL7CWE(segment.field(3)) }
    public var observationSubID: String? { text(4) }
    /// OBX-5, every repetition; read each as the type OBX-2 names (e.g. `HL7CWE(value)`, `HL7SN(value)`).
    public var values: [HL7Element] { repeated(5) }
    /// OBX-5 as one element (first repetition for `part`-based views).
    public var value: HL7Element { segment.field(5) }
    public var units: HL7CWE { HL7CWE(segment.field(6)) }
    public var referenceRange: String? { text(7) }
    /// OBX-8, every interpretation code (H, L, HH, LL, A, N, ...).
    public var abnormalFlags: [String] { repeated(8).compactMap { $0.component(1).string } }
    /// OBX-11, HL7 table 0085: F (final), C (corrected), D (deleted), W (wrong patient), P, R, X, ...
    public var resultStatus: String? { text(11) }
    public var observationDateTime: HL7DateTime? { segment.field(14).dateTime }
    public var producerID: HL7CWE { HL7CWE(segment.field(15)) }
    public var responsibleObservers: [HL7XCN] { repeated(16).map(HL7XCN.init) }
    public var observationMethods: [HL7CWE] { repeated(17).map(HL7CWE.init) }
    public var analysisDateTime: HL7DateTime? { segment.field(19).dateTime }
}

/// NTE, notes and comments.
public struct NTESegment: HL7SegmentView {
    public static let segmentID = "NTE"
    public let segment: HL7Segment
    public init(unchecked segment: HL7Segment) { self.segment = segment }

    public var setID: String? { text(1) }
    /// NTE-2, HL7 table 0105: L (ancillary), P (placer), O (other).
    public var source: String? { text(2) }
    /// NTE-3, each repetition decoded (formatted text: `\.br\` becomes a line break).
    public var comments: [String] { repeated(3).compactMap(\.string) }
    public var commentType: HL7CWE { HL7CWE(segment.field(4)) }
}

/// MSA, message acknowledgment.
public struct MSASegment: HL7SegmentView {
    public static let segmentID = "MSA"
    public let segment: HL7Segment
    public init(unchecked segment: HL7Segment) { self.segment = segment }

    /// MSA-1: AA, AE, AR (or CA, CE, CR in enhanced mode).
    public var acknowledgmentCode: String? { text(1) }
    /// MSA-2, the MSH-10 of the acknowledged message.
    public var controlID: String? { text(2) }
    /// MSA-3 (deprecated since v2.5 in favour of ERR, still widely read).
    public var textMessage: String? { text(3) }
    public var expectedSequenceNumber: String? { text(4) }
    /// MSA-6 (v2.1–2.4 error condition, HL7 table 0357).
    public var errorCondition: HL7CWE { HL7CWE(segment.field(6)) }
}

/// ERR, error.
public struct ERRSegment: HL7SegmentView {
    public static let segmentID = "ERR"
    public let segment: HL7Segment
    public init(unchecked segment: HL7Segment) { self.segment = segment }

    /// ERR-1 (ELD, v2.1–2.4): segment id ^ sequence ^ field ^ code&text&table.
    public var codeAndLocation: [HL7Element] { repeated(1) }
    /// ERR-2 (ERL, v2.5+): segment id ^ sequence ^ field ^ repetition ^ component ^ sub-component.
    public var locations: [HL7Element] { repeated(2) }
    /// ERR-3, HL7 table 0357 (e.g. 207 application internal error).
    public var hl7ErrorCode: HL7CWE { HL7CWE(segment.field(3)) }
    /// ERR-4: E (error), W (warning), I (information), F (fatal).
    public var severity: String? { text(4) }
    public var applicationErrorCode: HL7CWE { HL7CWE(segment.field(5)) }
    public var diagnosticInformation: String? { segment.field(7).string }
    public var userMessage: String? { segment.field(8).string }
}
