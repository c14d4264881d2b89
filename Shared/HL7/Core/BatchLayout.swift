/// Finds where messages and envelope segments start, by looking at the first bytes of each line only.
extension HL7Batch {
    enum UnitKind: Equatable {
        case message, fileHeader, batchHeader, batchTrailer, fileTrailer
    }

    struct Unit {
        var kind: UnitKind
        var range: Range<Int>
    }

    static func units(_ bytes: [UInt8], range: Range<Int>) throws(HL7ParseError) -> [Unit] {
        var units: [Unit] = []
        let end = range.upperBound
        var i = range.lowerBound
        var segmentIndex = 0  // within the current unit, for error positions
        var order = OrderCheck()
        if i < end, bytes[i] == UInt8(ascii: "<") {
            throw HL7ParseError(.unsupportedMessage, "XML encoding of HL7 v2 is not supported", byteOffset: i)
        }
        while i < end {
            // At a line start: skip blank lines, then look at the segment id.
            while i < end, ER7Scanner.isBlank(bytes[i]) { i += 1 }
            if i >= end { break }
            let kind = boundaryKind(bytes, at: i, end: end)
            if let kind {
                try order.accept(kind, isFirst: units.isEmpty, offset: i)
                if var last = units.popLast() {
                    last.range = last.range.lowerBound..<i
                    units.append(last)
                }
                units.append(Unit(kind: kind, range: i..<end))
                segmentIndex = 1
            } else {
                segmentIndex += 1
                guard let last = units.last else {
                    throw HL7ParseError(
                        .parseError, "data before the first MSH, BHS or FHS segment", segmentIndex: 1, byteOffset: i)
                }
                guard last.kind == .message else {
                    throw HL7ParseError(
                        .parseError, "segment outside a message (after a batch or file segment)",
                        segmentIndex: segmentIndex, byteOffset: i)
                }
            }
            while i < end, bytes[i] != ER7Scanner.cr, bytes[i] != ER7Scanner.lf { i += 1 }
        }
        guard !units.isEmpty else { throw HL7ParseError(.parseError, "no HL7 content", byteOffset: range.lowerBound) }
        return units
    }

    private static func boundaryKind(_ bytes: [UInt8], at i: Int, end: Int) -> UnitKind? {
        guard i + 3 <= end else { return nil }
        if i + 3 < end, SegmentID.isChar(bytes[i + 3]) { return nil }
        switch SegmentID.pack(bytes[i], bytes[i + 1], bytes[i + 2]) {
        case SegmentID.msh: return .message
        case SegmentID.fhs: return .fileHeader
        case SegmentID.bhs: return .batchHeader
        case SegmentID.bts: return .batchTrailer
        case SegmentID.fts: return .fileTrailer
        default: return nil
        }
    }

    /// `[FHS] {[BHS] {MSH...} [BTS]} [FTS]`, checked as boundaries appear so the first problem in the file is
    /// the one reported. Lenient where python-hl7 is (BTS or FTS closing batches that had no header), strict
    /// where the structure would be ambiguous.
    private struct OrderCheck {
        var batchOpen = false
        var fileClosed = false

        mutating func accept(_ kind: UnitKind, isFirst: Bool, offset: Int) throws(HL7ParseError) {
            if fileClosed {
                throw HL7ParseError(.parseError, "data after the FTS segment", segmentID: "FTS", byteOffset: offset)
            }
            switch kind {
            case .fileHeader where !isFirst:
                throw HL7ParseError(
                    .parseError, "FHS is not the first segment of the file", segmentID: "FHS", byteOffset: offset)
            case .batchHeader where batchOpen:
                throw HL7ParseError(
                    .parseError, "BHS inside an open batch (more than one BHS before BTS)", segmentID: "BHS",
                    byteOffset: offset)
            case .batchHeader: batchOpen = true
            case .batchTrailer: batchOpen = false
            case .fileTrailer: fileClosed = true
            case .message, .fileHeader: break
            }
        }
    }
}
