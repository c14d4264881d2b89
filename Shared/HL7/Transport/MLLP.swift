/// Minimal Lower Layer Protocol framing: `0x0B <payload> 0x1C 0x0D`. No I/O here.
public enum MLLP {
    public static let startBlock: UInt8 = 0x0B
    public static let endBlock: UInt8 = 0x1C
    public static let carriageReturn: UInt8 = 0x0D

    /// Appends one framed payload to `out`.
    public static func encode(_ payload: some Collection<UInt8>, into out: inout [UInt8]) {
        out.reserveCapacity(out.count + payload.count + 3)
        out.append(startBlock)
        out.append(contentsOf: payload)
        out.append(endBlock)
        out.append(carriageReturn)
    }

    public static func encode(_ payload: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        encode(payload, into: &out)
        return out
    }

    /// A piece of a complete MLLP byte stream held in memory (a capture file), by byte range.
    enum Piece: Equatable {
        case frame(Range<Int>)
        /// Non-whitespace bytes outside any frame.
        case garbage(Range<Int>)
        /// A frame cut short by the end of the input or by another start block.
        case incomplete(Range<Int>)
    }

    /// Splits an in-memory stream without copying; the streaming decoder is `MLLPDecoder`.
    static func pieces(of bytes: [UInt8], in range: Range<Int>) -> [Piece] {
        var pieces: [Piece] = []
        var i = range.lowerBound
        let end = range.upperBound
        var garbageStart: Int?
        while i < end {
            let b = bytes[i]
            if b == startBlock {
                if let start = garbageStart { pieces.append(.garbage(start..<i)) }
                garbageStart = nil
                var k = i + 1
                while k < end, bytes[k] != endBlock, bytes[k] != startBlock { k += 1 }
                if k < end, bytes[k] == endBlock {
                    pieces.append(.frame((i + 1)..<k))
                    i = k + 1
                } else {
                    pieces.append(.incomplete((i + 1)..<k))
                    i = k
                }
                continue
            }
            if !ER7Scanner.isBlank(b), garbageStart == nil { garbageStart = i }
            i += 1
        }
        if let start = garbageStart { pieces.append(.garbage(start..<end)) }
        return pieces
    }
}
