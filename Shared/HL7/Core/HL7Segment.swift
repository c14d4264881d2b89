/// A view of one segment of a parsed message.
public struct HL7Segment: Sendable {
    let storage: HL7Storage
    /// 0-based position within the message.
    public let index: Int

    init(storage: HL7Storage, index: Int) {
        self.storage = storage
        self.index = index
    }

    var packedID: UInt32 { storage.segments[index].id }

    /// The three-character segment id (`PID`).
    public var id: String { SegmentID.string(packedID) }

    /// MSH, FHS and BHS: field 1 is the field separator itself, field 2 the encoding characters.
    public var isHeader: Bool { SegmentID.isHeader(packedID) }

    /// The highest field number present (trailing empty fields count).
    public var fieldCount: Int {
        let raw = Int(storage.segments[index].count) - 1
        return isHeader ? raw + 1 : raw
    }

    /// The field with this HL7 number (1-based; MSH-1 is the separator). Past the end: an absent field.
    public func field(_ number: Int) -> HL7Element {
        if number < 1 {
            let end = storage.segmentRange(index).upperBound
            return HL7Element(storage: storage, range: end..<end, level: .field)
        }
        if isHeader {
            if number == 1 {
                let separator = storage.rawField(index, 1).lowerBound - 1
                return HL7Element(storage: storage, range: separator..<(separator + 1), level: .field, literal: true)
            }
            if number == 2 {
                return HL7Element(storage: storage, range: storage.rawField(index, 1), level: .field, literal: true)
            }
            return HL7Element(storage: storage, range: storage.rawField(index, number - 1), level: .field)
        }
        return HL7Element(storage: storage, range: storage.rawField(index, number), level: .field)
    }

    public subscript(_ number: Int) -> HL7Element { field(number) }

    /// Shorthand for `field(f).repetition(r).component(c).subcomponent(s).value`.
    public func value(_ f: Int, _ c: Int = 1, _ s: Int = 1, repetition r: Int = 1) -> HL7Value {
        field(f).repetition(r).component(c).subcomponent(s).value
    }

    /// Decoded leaf text, nil when absent or null; same addressing as `value`.
    public func string(_ f: Int, _ c: Int = 1, _ s: Int = 1, repetition r: Int = 1) -> String? {
        value(f, c, s, repetition: r).string
    }

    /// The segment as it appears in the message, without its terminator.
    public var encoded: String {
        storage.bytes.withUnsafeBufferPointer { p in
            storage.charset.decodeChecked(UnsafeBufferPointer(rebasing: p[storage.segmentRange(index)]))
        }
    }

    /// Byte range of the segment in the input.
    public var byteRange: Range<Int> { storage.segmentRange(index) }
}
