/// Incremental MLLP deframer: feed bytes as they arrive, then take events until `next()` returns nil.
/// A struct state machine: it does no I/O, and the owner decides what each event means (ACK, close, count).
///
/// Whitespace between frames (the CR after `0x1C`, stray line breaks) is ignored; any other byte outside a
/// frame is dropped and reported. Memory stays bounded by `maxFrameBytes` plus the bytes of one `append`.
public struct MLLPDecoder: Sendable {
    public struct Configuration: Hashable, Sendable {
        /// Largest payload accepted (default 1 MiB); a larger frame is dropped and reported.
        public var maxFrameBytes: Int

        public init(maxFrameBytes: Int = 1 << 20) {
            self.maxFrameBytes = maxFrameBytes
        }
    }

    public enum Event: Hashable, Sendable {
        /// A complete payload, without the framing bytes.
        case frame([UInt8])
        /// Bytes outside any frame were dropped.
        case skipped(byteCount: Int)
        /// A payload grew past `maxFrameBytes`; it is dropped up to its end block. Reported when the limit
        /// is crossed, so the owner can reply or close at once.
        case frameTooLarge(limit: Int)
        /// A frame was cut short: a new start block arrived before its end block, or the stream ended
        /// (`finish()`). Its bytes are dropped.
        case truncatedFrame(byteCount: Int)
    }

    private enum State: Hashable, Sendable {
        case idle
        /// Payload starts at `start`; bytes before `scanned` hold neither start nor end block.
        case inFrame(start: Int, scanned: Int)
        case discarding
    }

    public let configuration: Configuration
    private var buffer: [UInt8] = []
    private var consumed = 0
    private var state = State.idle

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Bytes held for an unfinished frame.
    public var bufferedByteCount: Int { buffer.count - consumed }

    public mutating func append(_ bytes: some Sequence<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    /// The next event from the bytes appended so far, or nil when more bytes are needed.
    public mutating func next() -> Event? {
        defer { compact() }
        while true {
            switch state {
            case .idle:
                var garbage = 0
                var i = consumed
                while i < buffer.count, buffer[i] != MLLP.startBlock {
                    if !ER7Scanner.isBlank(buffer[i]) { garbage += 1 }
                    i += 1
                }
                consumed = i
                if i < buffer.count {
                    consumed = i + 1
                    state = .inFrame(start: i + 1, scanned: i + 1)
                }
                if garbage > 0 { return .skipped(byteCount: garbage) }
                if i == buffer.count { return nil }

            case .inFrame(let start, let scanned):
                let limit = min(buffer.count, start + configuration.maxFrameBytes + 1)
                var k = scanned
                while k < limit, buffer[k] != MLLP.endBlock, buffer[k] != MLLP.startBlock { k += 1 }
                if k < limit, buffer[k] == MLLP.endBlock {
                    let payload = Array(buffer[start..<k])
                    consumed = k + 1
                    state = .idle
                    return .frame(payload)
                }
                if k < limit {  // a start block: the frame so far was cut short
                    consumed = k + 1
                    state = .inFrame(start: k + 1, scanned: k + 1)
                    return .truncatedFrame(byteCount: k - start)
                }
                if limit == start + configuration.maxFrameBytes + 1 {
                    consumed = limit
                    state = .discarding
                    return .frameTooLarge(limit: configuration.maxFrameBytes)
                }
                state = .inFrame(start: start, scanned: k)
                return nil

            case .discarding:
                var i = consumed
                while i < buffer.count, buffer[i] != MLLP.endBlock, buffer[i] != MLLP.startBlock { i += 1 }
                consumed = i
                guard i < buffer.count else { return nil }
                if buffer[i] == MLLP.endBlock {
                    consumed = i + 1
                    state = .idle
                } else {
                    consumed = i + 1
                    state = .inFrame(start: i + 1, scanned: i + 1)
                }
            }
        }
    }

    /// Call at end of stream: reports a frame left unfinished and resets.
    public mutating func finish() -> Event? {
        defer {
            buffer = []
            consumed = 0
            state = .idle
        }
        if case .inFrame(let start, _) = state { return .truncatedFrame(byteCount: buffer.count - start) }
        return nil
    }

    /// Drops consumed bytes once they are the larger part of the buffer, so appends stay amortised O(1).
    private mutating func compact() {
        guard consumed > 0, consumed >= buffer.count / 2 else { return }
        let shift = consumed
        buffer.removeFirst(shift)
        consumed = 0
        if case .inFrame(let start, let scanned) = state {
            state = .inFrame(start: start - shift, scanned: scanned - shift)
        }
    }
}
