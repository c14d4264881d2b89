/// The single pass over the bytes: finds segments and field separators, nothing else. Repetitions,
/// components and escapes are found later, only in the fields someone reads.
enum ER7Scanner {
    enum FirstSegment {
        /// The first segment declares the delimiters (MSH, FHS or BHS).
        case header(allowed: [UInt32])
        /// Segments with known delimiters (BTS, FTS).
        case plain(HL7Delimiters)
    }

    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A

    /// Scans from `range.lowerBound` until the end of the range or, after the first segment, the start of
    /// the next message/batch/file boundary segment (or any segment if `firstSegmentOnly`). Returns the
    /// storage and where scanning stopped.
    static func scan(
        _ bytes: [UInt8], range: Range<Int>, first: FirstSegment, options: HL7ParseOptions,
        firstSegmentOnly: Bool = false
    ) throws(HL7ParseError) -> (storage: HL7Storage, stop: Int) {
        var start = range.lowerBound
        let end = range.upperBound
        if end - start >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF { start += 3 }
        while start < end, isBlank(bytes[start]) { start += 1 }
        guard start < end else { throw HL7ParseError(.parseError, "no HL7 content", byteOffset: start) }
        guard end - start <= options.maxMessageBytes, end < Int(Int32.max) else {
            throw HL7ParseError(.tooLarge, "input larger than the configured limit", byteOffset: start)
        }

        let delimiters: HL7Delimiters
        switch first {
        case .header(let allowed):
            delimiters = try readHeader(bytes, start: start, end: end, allowed: allowed)
        case .plain(let known):
            delimiters = known
        }

        var segments: [SegmentRecord] = []
        segments.reserveCapacity(16)
        var bounds: [Int32] = []
        bounds.reserveCapacity((end - start) / 8 + 16)
        var nonASCII: UInt8 = 0
        var stop = end
        let fs = delimiters.field

        let failure: HL7ParseError? = bytes.withUnsafeBufferPointer { p in
            var i = start
            var sawCR = false
            while true {
                i = skipBlankLines(p, from: i, end: end)
                if i >= end { return nil }
                let segmentStart = i
                if firstSegmentOnly, !segments.isEmpty {
                    stop = segmentStart
                    return nil
                }
                guard startsSegment(p, at: i, end: end, fs: fs) else {
                    return HL7ParseError(
                        .parseError, "segment does not start with a valid segment id",
                        segmentIndex: segments.count + 1, byteOffset: i)
                }
                let id = SegmentID.pack(p[i], p[i + 1], p[i + 2])
                if !segments.isEmpty, SegmentID.isBoundary(id) {
                    stop = segmentStart
                    return nil
                }
                let base = bounds.count
                bounds.append(Int32(segmentStart))
                i += 3
                while i < end {
                    let b = p[i]
                    if b == fs {
                        bounds.append(Int32(i + 1))
                        i += 1
                        continue
                    }
                    nonASCII |= b
                    if b > 13 {
                        i += 1
                        continue
                    }
                    if b == cr {
                        sawCR = true
                        break
                    }
                    // A bare LF in a CR-terminated message is text (senders rarely escape line breaks in
                    // notes), unless a segment or another line break follows it.
                    if b == lf,
                        !sawCR || i + 1 >= end || p[i + 1] == cr || p[i + 1] == lf
                            || startsSegment(p, at: i + 1, end: end, fs: fs)
                    {
                        break
                    }
                    if b == 0 {
                        return HL7ParseError(
                            .encodingError, "NUL byte in message", segmentIndex: segments.count + 1,
                            segmentID: SegmentID.string(id),
                            field: SegmentID.fieldNumber(rawIndex: bounds.count - base - 1, segmentID: id),
                            byteOffset: i)
                    }
                    i += 1
                }
                bounds.append(Int32(i + 1))
                segments.append(SegmentRecord(id: id, base: Int32(base), count: Int32(bounds.count - base - 1)))
            }
        }
        if let failure { throw failure }

        var charset = options.charsetOverride ?? options.defaultCharset
        let partial = HL7Storage(
            bytes: bytes, range: start..<stop, delimiters: delimiters, charset: charset, segments: segments,
            bounds: bounds)
        if options.charsetOverride == nil, segments[0].id == SegmentID.msh {
            charset = try declaredCharset(partial) ?? charset
        }
        if nonASCII >= 0x80 { try checkEncoding(partial, charset: charset) }
        if charset == partial.charset { return (partial, stop) }
        let storage = HL7Storage(
            bytes: bytes, range: start..<stop, delimiters: delimiters, charset: charset, segments: segments,
            bounds: bounds)
        return (storage, stop)
    }

    private static func readHeader(
        _ bytes: [UInt8], start: Int, end: Int, allowed: [UInt32]
    ) throws(HL7ParseError) -> HL7Delimiters {
        let id = end - start >= 3 ? SegmentID.pack(bytes[start], bytes[start + 1], bytes[start + 2]) : 0
        guard end - start >= 4, allowed.contains(id) else {
            if id == SegmentID.fhs || id == SegmentID.bhs {
                throw HL7ParseError(
                    .parseError, "a batch or file header; parse it as a batch", segmentIndex: 1,
                    segmentID: SegmentID.string(id), byteOffset: start)
            }
            if bytes[start] == UInt8(ascii: "<") {
                throw HL7ParseError(.unsupportedMessage, "XML encoding of HL7 v2 is not supported", byteOffset: start)
            }
            throw HL7ParseError(
                .parseError, "message does not start with an MSH segment", segmentIndex: 1, byteOffset: start)
        }
        let fs = bytes[start + 3]
        var q = start + 4
        while q < end, bytes[q] != fs, bytes[q] != cr, bytes[q] != lf { q += 1 }
        guard let delimiters = HL7Delimiters(field: fs, encodingCharacters: bytes[(start + 4)..<q]) else {
            throw HL7ParseError(
                .parseError, "invalid encoding characters (field separator and MSH-2)", segmentIndex: 1,
                segmentID: SegmentID.string(id), field: 2, byteOffset: start + 3)
        }
        return delimiters
    }

    /// The charset named in MSH-18 (first repetition), nil if MSH-18 is empty.
    private static func declaredCharset(_ storage: HL7Storage) throws(HL7ParseError) -> HL7Charset? {
        let range = storage.rawField(0, 17)
        let d = storage.delimiters
        var end = range.lowerBound
        while end < range.upperBound, storage.bytes[end] != d.repetition, storage.bytes[end] != d.component {
            end += 1
        }
        let name = String(decoding: storage.bytes[range.lowerBound..<end], as: UTF8.self).trimmingSpaces
        if name.isEmpty { return nil }
        guard let charset = HL7Charset(hl7Name: name) else {
            throw HL7ParseError(
                .encodingError, "unsupported character set in MSH-18", segmentIndex: 1, segmentID: "MSH", field: 18,
                byteOffset: range.lowerBound)
        }
        return charset
    }

    private static func checkEncoding(_ storage: HL7Storage, charset: HL7Charset) throws(HL7ParseError) {
        let bad: Int? = storage.bytes.withUnsafeBufferPointer { p in
            let body = UnsafeBufferPointer(rebasing: p[storage.range])
            switch charset {
            case .utf8:
                return UTF8Check.firstInvalid(body).map { $0 + storage.range.lowerBound }
            case .ascii:
                return body.firstIndex { $0 >= 0x80 }.map { $0 + storage.range.lowerBound }
            case .iso8859_1, .windows1252:
                return nil
            }
        }
        guard let bad else { return }
        let (segment, field) = storage.location(ofByte: bad)
        throw HL7ParseError(
            .encodingError,
            charset == .ascii ? "byte above 0x7F in an ASCII message" : "invalid UTF-8 in a UTF-8 message",
            segmentIndex: segment + 1, segmentID: SegmentID.string(storage.segments[segment].id), field: field,
            byteOffset: bad)
    }

    @inline(__always)
    static func isBlank(_ b: UInt8) -> Bool { b == cr || b == lf || b == 0x20 || b == 0x09 }

    /// Skips CR/LF and lines holding only spaces or tabs.
    @inline(__always)
    static func skipBlankLines(_ p: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) -> Int {
        var i = start
        while i < end {
            let b = p[i]
            if b == cr || b == lf {
                i += 1
                continue
            }
            guard b == 0x20 || b == 0x09 else { return i }
            var j = i
            while j < end, p[j] == 0x20 || p[j] == 0x09 { j += 1 }
            guard j == end || p[j] == cr || p[j] == lf else { return i }
            i = j
        }
        return i
    }

    /// Three id characters followed by the field separator, a line break or the end.
    @inline(__always)
    static func startsSegment(_ p: UnsafeBufferPointer<UInt8>, at i: Int, end: Int, fs: UInt8) -> Bool {
        guard i + 3 <= end, SegmentID.isStart(p[i]), SegmentID.isChar(p[i + 1]), SegmentID.isChar(p[i + 2]) else {
            return false
        }
        if i + 3 == end { return true }
        let next = p[i + 3]
        return next == fs || next == cr || next == lf
    }
}
