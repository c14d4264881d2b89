import Ingestion
import NIOCore
import NIOPosix
import Testing
import VigilHL7

/// A listener that answers the first message of a connection with AA and hangs up: the client must report the
/// rest as unanswered (never as accepted, never with another slice's ACKs).
@Suite struct MLLPClientTests {
    /// Replies once per connection, to whatever arrives first, then closes.
    private final class AnswerOnceThenHangUp: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let ack = HL7Ack.build(replyingTo: MLLPClientTests.message(1), code: .applicationAccept, controlID: "A1")
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(bytes: MLLP.encode(ack)))).whenComplete { _ in
                context.close(promise: nil)
            }
        }
    }

    static func message(_ id: Int) -> [UInt8] {
        Array("MSH|^~\\&|LAB|HOSP|VIGIL|VIGIL|20240101120000||ORU^R01|CTRL\(id)|P|2.5\rPID|1||123\r".utf8)
    }

    @Test func messagesLeftUnansweredByAHangUpAreReportedAsSuch() async throws {
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { $0.pipeline.addHandler(AnswerOnceThenHangUp()) }
            .bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(server.localAddress?.port)
        let one = try await MLLPClient.codes(port: port, messages: (1...3).map(Self.message))
        #expect(one == ["AA", "none", "none"])
        // Two connections: each answers its first message only, and each ACK stays with its own message.
        let two = try await MLLPClient.codes(port: port, messages: (1...4).map(Self.message), connections: 2)
        #expect(two == ["AA", "none", "AA", "none"])
        try await server.close()
    }
}
