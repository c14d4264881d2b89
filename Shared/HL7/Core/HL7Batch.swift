/// Several messages from one input: an HL7 batch file (`[FHS] {[BHS] {MSH...} [BTS]} [FTS]`), messages
/// back to back without headers, or MLLP frames captured to a file. Messages share the input's bytes.
///
/// Each message parses on its own, so one broken message does not hide the others: see `entries`.
/// Envelope segments are checked for order, not for their counts (BTS-1, FTS-1).
public struct HL7Batch: Sendable {
    public struct Entry: Sendable {
        /// The message's bytes in the input (for a dead letter).
        public let byteRange: Range<Int>
        public let result: Result<HL7Message, HL7ParseError>
    }

    /// One entry per message (or MLLP frame), in input order.
    public let entries: [Entry]
    /// FHS, BHS, BTS and FTS segments in input order.
    public let envelope: [HL7Segment]

    /// Splits and parses. Throws only when the input as a whole is not a batch: no message header, a
    /// segment before the first MSH, a second FHS or an unclosed BHS, data after FTS. In MLLP input each
    /// frame is judged alone and such problems become that frame's entry.
    public init(parsing bytes: [UInt8], options: HL7ParseOptions = HL7ParseOptions()) throws(HL7ParseError) {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        while start < bytes.count, ER7Scanner.isBlank(bytes[start]) { start += 1 }
        guard start < bytes.count else { throw HL7ParseError(.parseError, "no HL7 content", byteOffset: start) }

        guard bytes[start] == MLLP.startBlock else {
            let (entries, envelope) = try Self.parsePlain(bytes, range: start..<bytes.count, options: options)
            self.entries = Self.numbered(entries)
            self.envelope = envelope
            return
        }
        var entries: [Entry] = []
        var envelope: [HL7Segment] = []
        for piece in MLLP.pieces(of: bytes, in: start..<bytes.count) {
            switch piece {
            case .frame(let range):
                do {
                    let (inner, segments) = try Self.parsePlain(bytes, range: range, options: options)
                    entries += inner
                    envelope += segments
                } catch {
                    entries.append(Entry(byteRange: range, result: .failure(error)))
                }
            case .garbage(let range):
                let error = HL7ParseError(.parseError, "bytes outside MLLP frames", byteOffset: range.lowerBound)
                entries.append(Entry(byteRange: range, result: .failure(error)))
            case .incomplete(let range):
                let error = HL7ParseError(.parseError, "MLLP frame without end block", byteOffset: range.lowerBound)
                entries.append(Entry(byteRange: range, result: .failure(error)))
            }
        }
        self.entries = Self.numbered(entries)
        self.envelope = envelope
    }

    public init(parsing text: String, options: HL7ParseOptions = HL7ParseOptions()) throws(HL7ParseError) {
        try self.init(parsing: Array(text.utf8), options: options)
    }

    /// The messages that parsed.
    public var messages: [HL7Message] { entries.compactMap { try? $0.result.get() } }

    /// The errors of the messages that did not.
    public var errors: [HL7ParseError] {
        entries.compactMap {
            if case .failure(let error) = $0.result { return error }
            return nil
        }
    }

    /// Every message, or the first error.
    public func requireAll() throws(HL7ParseError) -> [HL7Message] {
        if let error = errors.first { throw error }
        return messages
    }

    public var fileHeader: HL7Segment? { envelope.first { $0.id == "FHS" } }
    public var fileTrailer: HL7Segment? { envelope.last { $0.id == "FTS" } }
    public var batchHeaders: [HL7Segment] { envelope.filter { $0.id == "BHS" } }
    public var batchTrailers: [HL7Segment] { envelope.filter { $0.id == "BTS" } }

    /// Byte ranges of the messages in `bytes` (plain ER7, not MLLP), after checking the envelope order;
    /// for callers that route raw messages without parsing them.
    public static func messageRanges(in bytes: [UInt8]) throws(HL7ParseError) -> [Range<Int>] {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        return try units(bytes, range: start..<bytes.count).filter { $0.kind == .message }.map(\.range)
    }

    private static func numbered(_ entries: [Entry]) -> [Entry] {
        entries.enumerated().map { index, entry in
            guard case .failure(let error) = entry.result else { return entry }
            return Entry(byteRange: entry.byteRange, result: .failure(error.inMessage(index + 1)))
        }
    }

    private static func parsePlain(
        _ bytes: [UInt8], range: Range<Int>, options: HL7ParseOptions
    ) throws(HL7ParseError) -> ([Entry], [HL7Segment]) {
        var entries: [Entry] = []
        var envelope: [HL7Segment] = []
        var current = HL7Delimiters.standard
        for unit in try units(bytes, range: range) {
            switch unit.kind {
            case .message:
                do {
                    let (storage, _) = try ER7Scanner.scan(
                        bytes, range: unit.range, first: .header(allowed: [SegmentID.msh]), options: options)
                    current = storage.delimiters
                    entries.append(Entry(byteRange: unit.range, result: .success(HL7Message(storage: storage))))
                } catch {
                    entries.append(Entry(byteRange: unit.range, result: .failure(error)))
                }
            case .fileHeader, .batchHeader:
                let (storage, _) = try ER7Scanner.scan(
                    bytes, range: unit.range, first: .header(allowed: [SegmentID.fhs, SegmentID.bhs]),
                    options: options, firstSegmentOnly: true)
                current = storage.delimiters
                envelope.append(HL7Segment(storage: storage, index: 0))
            case .batchTrailer, .fileTrailer:
                let (storage, _) = try ER7Scanner.scan(
                    bytes, range: unit.range, first: .plain(current), options: options, firstSegmentOnly: true)
                envelope.append(HL7Segment(storage: storage, index: 0))
            }
        }
        return (entries, envelope)
    }
}
