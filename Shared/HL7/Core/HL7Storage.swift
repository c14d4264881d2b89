/// Options for reading ER7 bytes. Defaults suit an interface listener.
public struct HL7ParseOptions: Hashable, Sendable {
    /// Largest input accepted, in bytes (default 16 MiB: base64 reports in OBX-5 can run to megabytes).
    public var maxMessageBytes: Int
    /// Character set when MSH-18 is empty (default UTF-8: the standard says ASCII, of which UTF-8 is a
    /// superset, and senders that leave MSH-18 empty mostly send UTF-8).
    public var defaultCharset: HL7Charset
    /// Used instead of MSH-18 when set, for feeds known to mislabel their character set.
    public var charsetOverride: HL7Charset?

    public init(
        maxMessageBytes: Int = 16 << 20, defaultCharset: HL7Charset = .utf8, charsetOverride: HL7Charset? = nil
    ) {
        self.maxMessageBytes = maxMessageBytes
        self.defaultCharset = defaultCharset
        self.charsetOverride = charsetOverride
    }
}

/// One segment in the flat index: `bounds[base + k]` is where raw field k starts (k = 0 is the segment id)
/// and `bounds[base + count]` is one past the segment's end plus one, so raw field k ends at
/// `bounds[base + k + 1] - 1`.
struct SegmentRecord: Sendable {
    var id: UInt32
    var base: Int32
    var count: Int32
}

/// The bytes of a message and the offsets found by one scan. Views (segments, fields) keep a reference to
/// it and decode text only when asked.
@usableFromInline
final class HL7Storage: Sendable {
    @usableFromInline let bytes: [UInt8]
    let range: Range<Int>
    let delimiters: HL7Delimiters
    let charset: HL7Charset
    let segments: [SegmentRecord]
    let bounds: [Int32]

    init(
        bytes: [UInt8], range: Range<Int>, delimiters: HL7Delimiters, charset: HL7Charset,
        segments: [SegmentRecord], bounds: [Int32]
    ) {
        self.bytes = bytes
        self.range = range
        self.delimiters = delimiters
        self.charset = charset
        self.segments = segments
        self.bounds = bounds
    }

    /// Byte range of raw field `k` of segment `s` (k = 0 is the id); empty at the segment's end if absent.
    @inline(__always)
    func rawField(_ s: Int, _ k: Int) -> Range<Int> {
        let record = segments[s]
        let base = Int(record.base)
        if k >= Int(record.count) || k < 0 {
            let end = Int(bounds[base + Int(record.count)]) - 1
            return end..<end
        }
        return Int(bounds[base + k])..<(Int(bounds[base + k + 1]) - 1)
    }

    /// Byte range of the whole segment, without its terminator.
    func segmentRange(_ s: Int) -> Range<Int> {
        let record = segments[s]
        return Int(bounds[Int(record.base)])..<(Int(bounds[Int(record.base + record.count)]) - 1)
    }

    /// HL7 field number of a byte offset, for error positions.
    func location(ofByte offset: Int) -> (segment: Int, field: Int?) {
        var low = 0
        var high = segments.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if Int(bounds[Int(segments[mid].base)]) <= offset { low = mid } else { high = mid - 1 }
        }
        let record = segments[low]
        var k = 0
        while k + 1 < Int(record.count), Int(bounds[Int(record.base) + k + 1]) <= offset { k += 1 }
        return (low, SegmentID.fieldNumber(rawIndex: k, segmentID: record.id))
    }
}

/// Segment ids packed into three bytes, so lookups compare integers.
enum SegmentID {
    static func pack(_ a: UInt8, _ b: UInt8, _ c: UInt8) -> UInt32 { UInt32(a) << 16 | UInt32(b) << 8 | UInt32(c) }

    static func pack(_ text: String) -> UInt32? {
        let utf8 = Array(text.utf8)
        guard utf8.count == 3 else { return nil }
        return pack(utf8[0], utf8[1], utf8[2])
    }

    static func string(_ id: UInt32) -> String {
        String(decoding: [UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)], as: UTF8.self)
    }

    static let msh = pack(0x4D, 0x53, 0x48)
    static let fhs = pack(0x46, 0x48, 0x53)
    static let bhs = pack(0x42, 0x48, 0x53)
    static let bts = pack(0x42, 0x54, 0x53)
    static let fts = pack(0x46, 0x54, 0x53)

    /// MSH, FHS and BHS carry their own separator as field 1, which shifts the numbering by one.
    static func isHeader(_ id: UInt32) -> Bool { id == msh || id == fhs || id == bhs }

    /// Segments that start or end a message, batch or file.
    static func isBoundary(_ id: UInt32) -> Bool { isHeader(id) || id == bts || id == fts }

    static func fieldNumber(rawIndex k: Int, segmentID: UInt32) -> Int? {
        if k == 0 { return nil }
        return isHeader(segmentID) ? k + 1 : k
    }

    @inline(__always) static func isStart(_ b: UInt8) -> Bool { b &- 0x41 < 26 }
    @inline(__always) static func isChar(_ b: UInt8) -> Bool { b &- 0x41 < 26 || b &- 0x30 < 10 }
}
