import NIOCore
import NIOPosix
import VigilHL7

/// An MLLP sender, as an interface engine is one: messages pipelined over one or more connections, each
/// connection's ACKs read back in order. For `vigil replay`, the benchmark and tests.
public enum MLLPClient {
    /// Paces and observes a send: `pace(i)` runs before message `i` of a connection's slice is written (a
    /// rate limiter or a schedule waits in it); `acked` runs after each ACK arrives (progress).
    public struct Hooks: Sendable {
        public var pace: (@Sendable (Int) async throws -> Void)?
        public var acked: @Sendable () -> Void

        public init(pace: (@Sendable (Int) async throws -> Void)? = nil, acked: @escaping @Sendable () -> Void = {}) {
            self.pace = pace
            self.acked = acked
        }
    }

    /// Sends `messages` split into `connections` contiguous slices; returns each message's ACK, in order, one per
    /// message: a message the listener never answered (it hung up first) has an empty ACK.
    public static func send(
        host: String = "127.0.0.1", port: Int, messages: [[UInt8]], connections: Int = 1, hooks: Hooks = Hooks()
    ) async throws -> [[UInt8]] {
        guard !messages.isEmpty else { return [] }
        let size = (messages.count + max(connections, 1) - 1) / max(connections, 1)
        let slices = stride(from: 0, to: messages.count, by: size).map {
            Array(messages[$0..<min($0 + size, messages.count)])
        }
        return try await withThrowingTaskGroup(of: (Int, [[UInt8]]).self) { group in
            for (index, slice) in slices.enumerated() {
                group.addTask { (index, try await exchange(host: host, port: port, messages: slice, hooks: hooks)) }
            }
            var results: [Int: [[UInt8]]] = [:]
            for try await (index, acks) in group { results[index] = acks }
            return (0..<slices.count).flatMap { results[$0] ?? [] }
        }
    }

    /// MSA-1 of each ACK (`AA`, `AE`, `AR`; `?` for an unreadable reply, `none` for no reply).
    public static func codes(
        host: String = "127.0.0.1", port: Int, messages: [[UInt8]], connections: Int = 1, hooks: Hooks = Hooks()
    ) async throws -> [String] {
        try await send(host: host, port: port, messages: messages, connections: connections, hooks: hooks).map(ackCode)
    }

    public static func ackCode(_ ack: [UInt8]) -> String {
        if ack.isEmpty { return "none" }
        return (try? HL7Message(parsing: ack))?.msa?.acknowledgmentCode ?? "?"
    }

    static func exchange(host: String, port: Int, messages: [[UInt8]], hooks: Hooks) async throws -> [[UInt8]] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: Void.self) { writer in
                if let pace = hooks.pace {
                    // Paced: one message at a time while ACKs are read back.
                    writer.addTask {
                        for (index, message) in messages.enumerated() {
                            try await pace(index)
                            try await outbound.write(ByteBuffer(bytes: MLLP.encode(message)))
                        }
                    }
                } else {
                    var out = ByteBuffer()
                    for message in messages { out.writeBytes(MLLP.encode(message)) }
                    try await outbound.write(out)
                }
                var decoder = MLLPDecoder()
                var acks: [[UInt8]] = []
                for try await buffer in inbound {
                    decoder.append(buffer.readableBytesView)
                    while let event = decoder.next() {
                        guard case .frame(let payload) = event else { continue }
                        acks.append(payload)
                        hooks.acked()
                    }
                    if acks.count == messages.count { break }
                }
                // The listener hung up early: stop writing; the messages it never answered get an empty ACK, so
                // a caller cannot mistake them for accepted nor shift the next slice's ACKs onto them.
                writer.cancelAll()
                return acks + Array(repeating: [], count: max(0, messages.count - acks.count))
            }
        }
    }
}
