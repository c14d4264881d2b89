import NIOCore
import NIOHTTP1
import NIOPosix

/// A minimal HTTP/1.1 client on SwiftNIO, one connection per request: for the CLI and tests.
/// Foundation's URLSession on Linux crashed the test process when several tests used it at once.
public enum HTTP1Client {
    public struct Response: Sendable {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: [UInt8]

        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }

        public var text: String { String(decoding: body, as: UTF8.self) }
    }

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Sends one request and reads the whole response.
    public static func request(
        _ method: String, host: String = "127.0.0.1", port: Int, path: String,
        headers: [(String, String)] = [], body: [UInt8]? = nil
    ) async throws -> Response {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(10))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: method), uri: path)
            head.headers.add(name: "Host", value: "\(host):\(port)")
            head.headers.add(name: "Connection", value: "close")
            head.headers.add(name: "Content-Length", value: "\(body?.count ?? 0)")
            for (name, value) in headers { head.headers.add(name: name, value: value) }
            try await outbound.write(.head(head))
            if let body, !body.isEmpty { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
            try await outbound.write(.end(nil))
            var response = Response(status: 0, headers: [], body: [])
            for try await part in inbound {
                switch part {
                case .head(let head):
                    response.status = Int(head.status.code)
                    response.headers = head.headers.map { ($0.name, $0.value) }
                case .body(let buffer):
                    response.body += buffer.readableBytesView
                case .end:
                    return response
                }
            }
            throw Failure(description: "connection closed before the response ended")
        }
    }
}
