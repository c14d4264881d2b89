import Logging
import Metrics
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization
import VigilHL7

/// Turns HL7 frames into ACKs. Frames arrive in batches (everything one read delivered, so pipelining
/// senders get batched publishing); the answer has one ACK per frame, in order, unframed.
public protocol HL7FrameHandler: Sendable {
    func handle(_ frames: [[UInt8]]) async -> [[UInt8]]
}

public struct MLLPConfiguration: Sendable {
    /// Default `127.0.0.1`; set `0.0.0.0` to accept remote interface engines.
    public var host: String
    /// Default 2575, the registered HL7 MLLP port; 0 picks a free one (tests).
    public var port: Int
    /// Largest message accepted; larger ones get an AR with reason `too_large`. Default 1 MiB.
    public var maxMessageBytes: Int
    /// A connection silent this long is closed. Default 5 minutes.
    public var idleTimeout: Duration

    public init(
        host: String = "127.0.0.1", port: Int = 2575, maxMessageBytes: Int = 1 << 20, idleTimeout: Duration = .seconds(300)
    ) {
        self.host = host
        self.port = port
        self.maxMessageBytes = maxMessageBytes
        self.idleTimeout = idleTimeout
    }
}

/// The MLLP listener: many concurrent connections, each read loop deframing, handing frames to the
/// handler and writing its ACKs back in order. Graceful shutdown stops accepting, lets each connection
/// answer what it already read, then closes it.
public final class MLLPServer: Service {
    private let configuration: MLLPConfiguration
    private let handler: any HL7FrameHandler
    private let logger: Logger
    private let bound = Mutex<Int?>(nil)
    private let onListening: @Sendable (Int) -> Void

    /// `onListening` is called with the port once bound (readiness).
    public init(
        configuration: MLLPConfiguration, handler: any HL7FrameHandler, logger: Logger,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.handler = handler
        self.logger = logger
        self.onListening = onListening
    }

    /// The listening port once bound (useful with port 0).
    public var localPort: Int? { bound.withLock { $0 } }

    public func run() async throws {
        let idle = TimeAmount.nanoseconds(Int64(configuration.idleTimeout.components.seconds) * 1_000_000_000)
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        IdleStateHandler(readTimeout: idle), IdleCloseHandler(),
                    ])
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        bound.withLock { $0 = server.channel.localAddress?.port }
        onListening(server.channel.localAddress?.port ?? 0)
        logger.info("MLLP listening", metadata: ["mllp.port": "\(server.channel.localAddress?.port ?? 0)"])
        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await self.serve(connection) }
                    }
                }
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let gauge = Gauge(label: "vigil_mllp_connections")
        let open = MLLPConnectionCount.shared.change(+1)
        gauge.record(open)
        defer { gauge.record(MLLPConnectionCount.shared.change(-1)) }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var session = MLLPSession(maxMessageBytes: configuration.maxMessageBytes)
                for try await buffer in inbound.cancelOnGracefulShutdown() {
                    let replies = await session.receive(buffer.readableBytesView, handler: handler)
                    if replies.isEmpty { continue }
                    var out = ByteBuffer()
                    for reply in replies { out.writeBytes(MLLP.encode(reply)) }
                    try await outbound.write(out)
                }
                session.finish()
            }
        } catch {
            logger.debug("MLLP connection ended", metadata: ["error": "\(error)"])
        }
    }
}

/// Closes a connection that stayed silent past the idle timeout.
final class IdleCloseHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            Counter(label: "vigil_mllp_idle_closed_total").increment()
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// Process-wide count of open MLLP connections, for the gauge.
final class MLLPConnectionCount: Sendable {
    static let shared = MLLPConnectionCount()
    private let count = Mutex(0)

    func change(_ delta: Int) -> Int {
        count.withLock { $0 += delta; return $0 }
    }
}
