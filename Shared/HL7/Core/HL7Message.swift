/// One parsed HL7 v2 message (ER7 encoding). Keeps the input bytes and an index of segments and fields;
/// text is decoded only when an accessor asks for it. Copies are cheap (one reference).
public struct HL7Message: Sendable {
    let storage: HL7Storage

    init(storage: HL7Storage) { self.storage = storage }

    /// Parses exactly one message: an optional UTF-8 byte-order mark, blank lines, then MSH and its segments
    /// separated by CR, LF or CRLF. A second MSH (or a batch segment) is an error: use `HL7Batch` for those.
    public init(parsing bytes: [UInt8], options: HL7ParseOptions = HL7ParseOptions()) throws(HL7ParseError) {
        let (storage, stop) = try ER7Scanner.scan(
            bytes, range: bytes.indices, first: .header(allowed: [SegmentID.msh]), options: options)
        if stop < bytes.count {
            let id = SegmentID.pack(bytes[stop], bytes[stop + 1], bytes[stop + 2])
            throw HL7ParseError(
                .parseError, "more than one message or a batch segment; parse it as a batch",
                segmentIndex: storage.segments.count + 1, segmentID: SegmentID.string(id), byteOffset: stop)
        }
        self.storage = storage
    }

    /// Parses the UTF-8 (or ASCII) bytes of `text`; for tests and tools.
    public init(parsing text: String, options: HL7ParseOptions = HL7ParseOptions()) throws(HL7ParseError) {
        try self.init(parsing: Array(text.utf8), options: options)
    }

    /// Reads only the header segment, for replying to a message whose later segments are broken.
    public static func header(
        of bytes: [UInt8], options: HL7ParseOptions = HL7ParseOptions()
    ) throws(HL7ParseError) -> MSHSegment {
        let (storage, _) = try ER7Scanner.scan(
            bytes, range: bytes.indices, first: .header(allowed: [SegmentID.msh]), options: options,
            firstSegmentOnly: true)
        return MSHSegment(HL7Message(storage: storage).segment(at: 0))!
    }

    public var delimiters: HL7Delimiters { storage.delimiters }
    /// The character set used to decode text: the options' override, else MSH-18, else the default.
    public var charset: HL7Charset { storage.charset }
    /// The message's bytes (without a byte-order mark); shares the input's storage.
    public var bytes: ArraySlice<UInt8> { storage.bytes[storage.range] }

    public var segmentCount: Int { storage.segments.count }

    /// The segment at a 0-based position.
    public func segment(at index: Int) -> HL7Segment {
        precondition(index >= 0 && index < storage.segments.count, "segment index out of range")
        return HL7Segment(storage: storage, index: index)
    }

    public var segments: [HL7Segment] { (0..<segmentCount).map { HL7Segment(storage: storage, index: $0) } }

    /// Segment ids in order (`["MSH", "EVN", "PID", ...]`).
    public var segmentIDs: [String] { storage.segments.map { SegmentID.string($0.id) } }

    /// Every segment with this id, in order.
    public func segments(_ id: String) -> [HL7Segment] {
        guard let packed = SegmentID.pack(id) else { return [] }
        return storage.segments.indices.filter { storage.segments[$0].id == packed }.map {
            HL7Segment(storage: storage, index: $0)
        }
    }

    /// The first segment with this id.
    public func firstSegment(_ id: String) -> HL7Segment? {
        guard let packed = SegmentID.pack(id),
            let index = storage.segments.firstIndex(where: { $0.id == packed })
        else { return nil }
        return HL7Segment(storage: storage, index: index)
    }

    /// The MSH segment (always the first).
    public var header: MSHSegment { MSHSegment(segment(at: 0))! }
}
