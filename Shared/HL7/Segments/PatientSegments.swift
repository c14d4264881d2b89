/// PID, patient identification.
public struct PIDSegment: HL7SegmentView {
    public static let segmentID = "PID"
    public let segment: HL7Segment
    public init(unchecked segment: HL7Segment) { self.segment = segment }

    public var setID: String? { text(1) }
    /// PID-3, every identifier (MRN, national ids, ...).
    public var identifiers: [HL7CX] { repeated(3).map(HL7CX.init) }
    /// PID-2, the pre-v2.3.1 external id some senders still fill.
    public var externalID: HL7CX { HL7CX(segment.field(2)) }
    public var names: [HL7XPN] { repeated(5).map(HL7XPN.init) }
    public var mothersMaidenName: [HL7XPN] { repeated(6).map(HL7XPN.init) }
    /// PID-7 with the precision sent (often a date only).
    public var birthDate: HL7DateTime? { segment.field(7).dateTime }
    /// PID-8, HL7 table 0001: F, M, O, U, A, N.
    public var administrativeSex: String? { text(8) }
    public var races: [HL7CWE] { repeated(10).map(HL7CWE.init) }
    public var addresses: [HL7XAD] { repeated(11).map(HL7XAD.init) }
    public var homePhones: [HL7XTN] { repeated(13).map(HL7XTN.init) }
    public var businessPhones: [HL7XTN] { repeated(14).map(HL7XTN.init) }
    public var primaryLanguage: HL7CWE { HL7CWE(segment.field(15)) }
    public var maritalStatus: HL7CWE { HL7CWE(segment.field(16)) }
    /// PID-18.
    public var accountNumber: HL7CX { HL7CX(segment.field(18)) }
    public var ethnicGroups: [HL7CWE] { repeated(22).map(HL7CWE.init) }
    public var deathDateTime: HL7DateTime? { segment.field(29).dateTime }
    /// PID-30: Y or N.
    public var deathIndicator: String? { text(30) }
}

/// PV1, patient visit.
public struct PV1Segment: HL7SegmentView {
    public static let segmentID = "PV1"
    public let segment: HL7Segment
    public init(unchecked segment: HL7Segment) { self.segment = segment }

    public var setID: String? { text(1) }
    /// PV1-2, HL7 table 0004: I (inpatient), O, E, P, R, B, ...
    public var patientClass: String? { text(2) }
    public var assignedLocation: HL7PL { HL7PL(segment.field(3)) }
    public var admissionType: String? { text(4) }
    public var priorLocation: HL7PL { HL7PL(segment.field(6)) }
    public var attendingDoctors: [HL7XCN] { repeated(7).map(HL7XCN.init) }
    public var referringDoctors: [HL7XCN] { repeated(8).map(HL7XCN.init) }
    public var consultingDoctors: [HL7XCN] { repeated(9).map(HL7XCN.init) }
    public var hospitalService: String? { text(10) }
    public var admitSource: String? { text(14) }
    public var admittingDoctors: [HL7XCN] { repeated(17).map(HL7XCN.init) }
    public var patientType: String? { text(18) }
    /// PV1-19, the encounter id.
    public var visitNumber: HL7CX { HL7CX(segment.field(19)) }
    public var dischargeDisposition: String? { text(36) }
    public var admitDateTime: HL7DateTime? { segment.field(44).dateTime }
    /// PV1-45 (repeating since v2.5; the first repetition).
    public var dischargeDateTime: HL7DateTime? { segment.field(45).dateTime }
    public var alternateVisitID: HL7CX { HL7CX(segment.field(50)) }
}

/// EVN, event type.
public struct EVNSegment: HL7SegmentView {
    public static let segmentID = "EVN"
    public let segment: HL7Segment
    public init(unchecked segment: HL7Segment) { self.segment = segment }

    /// EVN-1 (deprecated; MSH-9.2 is authoritative).
    public var eventTypeCode: String? { text(1) }
    public var recordedDateTime: HL7DateTime? { segment.field(2).dateTime }
    public var plannedEventDateTime: HL7DateTime? { segment.field(3).dateTime }
    public var eventReasonCode: String? { text(4) }
    public var operators: [HL7XCN] { repeated(5).map(HL7XCN.init) }
    /// EVN-6, when the event happened (as opposed to when it was recorded).
    public var eventOccurred: HL7DateTime? { segment.field(6).dateTime }
    public var eventFacility: HL7HD { HL7HD(segment.field(7)) }
}
