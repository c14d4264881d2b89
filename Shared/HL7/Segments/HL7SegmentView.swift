/// Common to the typed segment views: each wraps a segment with a known id and reads fields lazily.
public protocol HL7SegmentView: Sendable {
    static var segmentID: String { get }
    var segment: HL7Segment { get }
    init(unchecked segment: HL7Segment)
}

extension HL7SegmentView {
    /// nil unless the segment has this view's id.
    public init?(_ segment: HL7Segment) {
        guard segment.id == Self.segmentID else { return nil }
        self.init(unchecked: segment)
    }

    /// Any field by number, for what the typed properties do not cover.
    public func field(_ number: Int) -> HL7Element { segment.field(number) }

    public func value(_ f: Int, _ c: Int = 1, _ s: Int = 1, repetition r: Int = 1) -> HL7Value {
        segment.value(f, c, s, repetition: r)
    }

    public func string(_ f: Int, _ c: Int = 1, _ s: Int = 1, repetition r: Int = 1) -> String? {
        segment.string(f, c, s, repetition: r)
    }

    /// First repetition, first component, decoded; nil when absent or null.
    func text(_ field: Int) -> String? { segment.field(field).component(1).string }
    func repeated(_ field: Int) -> [HL7Element] { Array(segment.field(field).repetitions) }
}

extension HL7Message {
    public var pid: PIDSegment? { firstSegment("PID").map(PIDSegment.init(unchecked:)) }
    public var pv1: PV1Segment? { firstSegment("PV1").map(PV1Segment.init(unchecked:)) }
    public var evn: EVNSegment? { firstSegment("EVN").map(EVNSegment.init(unchecked:)) }
    public var msa: MSASegment? { firstSegment("MSA").map(MSASegment.init(unchecked:)) }
    public var obr: [OBRSegment] { segments("OBR").map(OBRSegment.init(unchecked:)) }
    public var obx: [OBXSegment] { segments("OBX").map(OBXSegment.init(unchecked:)) }
    public var nte: [NTESegment] { segments("NTE").map(NTESegment.init(unchecked:)) }
    public var err: [ERRSegment] { segments("ERR").map(ERRSegment.init(unchecked:)) }
}
