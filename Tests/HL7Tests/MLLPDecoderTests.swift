import Testing
import VigilHL7

@Suite struct MLLPDecoderTests {
    static let first = Array("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5\rPID|1\r".utf8)
    static let second = Array("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|2|P|2.5\rPID|2\r".utf8)

    /// Feeds `bytes` in the given chunks and collects every event, including `finish()`.
    static func events(
        _ bytes: [UInt8], chunks: [Int], configuration: MLLPDecoder.Configuration = .init()
    ) -> [MLLPDecoder.Event] {
        var decoder = MLLPDecoder(configuration: configuration)
        var events: [MLLPDecoder.Event] = []
        var offset = 0
        for size in chunks + [bytes.count] where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            decoder.append(bytes[offset..<end])
            offset = end
            while let event = decoder.next() { events.append(event) }
        }
        if let last = decoder.finish() { events.append(last) }
        return events
    }

    @Test func encodeFramesThePayload() {
        #expect(MLLP.encode([0x41, 0x42]) == [0x0B, 0x41, 0x42, 0x1C, 0x0D])
    }

    @Test func framesSurviveEverySplitPoint() {
        let stream = MLLP.encode(Self.first) + MLLP.encode(Self.second)
        for cut in 0...stream.count {
            let events = Self.events(stream, chunks: [cut])
            #expect(events == [.frame(Self.first), .frame(Self.second)], "cut at \(cut)")
        }
    }

    @Test func framesSurviveArbitraryChunking() {
        let pair: [UInt8] = MLLP.encode(Self.first) + [0x0D, 0x0A] + MLLP.encode(Self.second)
        let stream: [UInt8] = Array((0..<50).map { _ in pair }.joined())
        var generator = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let chunks = (0..<stream.count).map { _ in Int(generator.next() % 40) + 1 }
            let events = Self.events(stream, chunks: chunks)
            #expect(events.count == 100)
            #expect(events.allSatisfy { $0 == .frame(Self.first) || $0 == .frame(Self.second) })
        }
        // One byte at a time.
        #expect(Self.events(stream, chunks: Array(repeating: 1, count: stream.count)).count == 100)
    }

    @Test func oversizeFrameIsReportedAndSkipped() {
        let big = Array(repeating: UInt8(ascii: "A"), count: 500)
        let stream = MLLP.encode(big) + MLLP.encode(Self.first)
        for chunk in [1, 7, 64, 10_000] {
            let events = Self.events(
                stream, chunks: Array(repeating: chunk, count: stream.count),
                configuration: .init(maxFrameBytes: 100))
            #expect(events == [.frameTooLarge(limit: 100), .frame(Self.first)], "chunk \(chunk)")
        }
        // Exactly at the limit is fine.
        let exact = Self.events(
            MLLP.encode(Self.first), chunks: [3], configuration: .init(maxFrameBytes: Self.first.count))
        #expect(exact == [.frame(Self.first)])
    }

    @Test func garbageBetweenFramesIsReported() {
        let stream =
            Array("junk".utf8) + MLLP.encode(Self.first) + [0x0D, 0x0A, 0x20] + Array("xy".utf8)
            + MLLP.encode(Self.second)
        let events = Self.events(stream, chunks: [10_000])
        #expect(events == [.skipped(byteCount: 4), .frame(Self.first), .skipped(byteCount: 2), .frame(Self.second)])
    }

    @Test func truncatedFramesAreReported() {
        // A new start block inside a frame, then a frame cut off by the end of the stream.
        let stream = [MLLP.startBlock] + Array("MSH|half".utf8) + MLLP.encode(Self.first) + [MLLP.startBlock, 0x41]
        let events = Self.events(stream, chunks: [5])
        #expect(events == [.truncatedFrame(byteCount: 8), .frame(Self.first), .truncatedFrame(byteCount: 1)])
    }

    @Test func frameWithoutTrailingCarriageReturnIsAccepted() {
        let stream = [MLLP.startBlock] + Self.first + [MLLP.endBlock] + MLLP.encode(Self.second)
        #expect(Self.events(stream, chunks: [1]) == [.frame(Self.first), .frame(Self.second)])
    }

    @Test func bufferStaysBounded() {
        var decoder = MLLPDecoder(configuration: .init(maxFrameBytes: 1000))
        decoder.append([MLLP.startBlock])
        for _ in 0..<100 {
            decoder.append(Array(repeating: 0x41, count: 100))
            while decoder.next() != nil {}
            #expect(decoder.bufferedByteCount <= 1100)
        }
    }

    @Test func fixtureFramesParse() throws {
        let bytes = try HL7Fixtures.bytes("edge/synthetic/mllp_two_frames.bin")
        let frames = Self.events(bytes, chunks: [17]).compactMap { event -> [UInt8]? in
            if case .frame(let payload) = event { return payload }
            return nil
        }
        #expect(try frames.map { try HL7Message(parsing: $0).header.controlID } == ["MSG0001", "MSG0002"])
    }
}

/// Deterministic generator for chunk sizes and mutations (fixed seeds, reproducible failures).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
