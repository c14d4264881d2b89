import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import VigilRuntime

@testable import Inference

/// A chat-completions endpoint on a free local port that records what it received and answers as told.
final class FakeChatEndpoint: Sendable {
    enum Reply: Sendable {
        case content(String)
        case status(Int, headers: [String: String] = [:])
        case body(String)
        /// Holds the request until `release()` (or 10 s).
        case hang
    }

    struct Received: Sendable {
        var path: String
        var query: String
        var apiKey: String?
        var body: String
    }

    private let state: Mutex<(reply: Reply, received: [Received], released: Bool)>

    init(_ reply: Reply) { state = Mutex((reply, [], false)) }

    var received: [Received] { state.withLock { $0.received } }
    func reply(with reply: Reply) { state.withLock { $0.reply = reply } }
    func release() { state.withLock { $0.released = true } }

    func respond(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        let seen = Received(
            path: request.uri.path, query: request.uri.query ?? "", apiKey: request.headers[HTTPField.Name("api-key")!],
            body: String(buffer: body))
        let reply = state.withLock { state in
            state.received.append(seen)
            return state.reply
        }
        switch reply {
        case .content(let text):
            let json = try JSONSerialization.data(withJSONObject: [
                "id": "chatcmpl-1", "object": "chat.completion",
                "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": text]]],
            ])
            return Self.response(200, [:], String(decoding: json, as: UTF8.self))
        case .status(let code, let headers):
            return Self.response(code, headers, "{\"error\":{\"code\":\"\(code)\",\"message\":\"SECRET-ERROR-TEXT\"}}")
        case .body(let text):
            return Self.response(200, [:], text)
        case .hang:
            let start = ContinuousClock.now
            while !state.withLock({ $0.released }), ContinuousClock.now - start < .seconds(10) {
                try await Task.sleep(for: .milliseconds(20))
            }
            return Self.response(200, [:], "{}")
        }
    }

    static func response(_ status: Int, _ headers: [String: String], _ body: String) -> Response {
        var fields = HTTPFields([HTTPField(name: .contentType, value: "application/json")])
        for (name, value) in headers { fields[HTTPField.Name(name)!] = value }
        return Response(
            status: HTTPResponse.Status(code: status), headers: fields,
            body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    /// Runs `body` with the endpoint's port while a Hummingbird server serves it; stops the server after.
    static func with(
        _ reply: Reply, _ body: (FakeChatEndpoint, Int) async throws -> Void
    ) async throws {
        let endpoint = FakeChatEndpoint(reply)
        let router = Router()
        router.post("**") { request, _ in try await endpoint.respond(request) }
        let port = Mutex(0)
        let logger = Logger(label: "narrative-test-server") { _ in SwiftLogNoOpLogHandler() }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port ?? 0 } }, logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            var failure: (any Error)?
            do { try await body(endpoint, port.withLock { $0 }) } catch { failure = error }
            endpoint.release()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            if let failure { throw failure }
        }
    }
}

/// A clock the test moves by hand, for the breaker and the budget.
final class ManualClock: Sendable {
    private let instant = Mutex(ContinuousClock.now)
    var now: @Sendable () -> ContinuousClock.Instant { { self.instant.withLock { $0 } } }
    func advance(_ duration: Duration) { instant.withLock { $0 = $0.advanced(by: duration) } }
}

/// Log lines as JSON text, to check what never appears in them.
final class LogCapture: Sendable {
    private let lines = Mutex<[String]>([])
    var text: String { lines.withLock { $0.joined() } }

    var logger: Logger {
        let output = LogOutput { line in self.lines.withLock { $0.append(line) } }
        var logger = Logger(label: "vigil.test.narrative") { JSONLogHandler(label: $0, output: output) }
        logger.logLevel = .trace
        return logger
    }
}

extension NarrativeWriter {
    /// A writer for a local endpoint; shut down after `body` whatever happens (the HTTP client insists).
    static func withLocal(
        port: Int, _ overrides: [String: String] = [:], clock: ManualClock = ManualClock(),
        logs: LogCapture = LogCapture(),
        _ body: (NarrativeWriter) async throws -> Void
    ) async throws {
        var environment = [
            "VIGIL_NARRATIVE_ENDPOINT": "http://127.0.0.1:\(port)", "VIGIL_NARRATIVE_DEPLOYMENT": "gpt-4o-mini",
            "VIGIL_NARRATIVE_API_KEY": NarrativeTests.key, "VIGIL_NARRATIVE_TIMEOUT_MS": "2000",
        ]
        environment.merge(overrides) { $1 }
        guard let configuration = try NarrativeConfiguration(environment: environment) else {
            throw ConfigurationError(variable: "VIGIL_NARRATIVE_ENDPOINT", problem: "missing in test")
        }
        let writer = NarrativeWriter(configuration: configuration, logger: logs.logger, now: clock.now)
        var failure: (any Error)?
        do { try await body(writer) } catch { failure = error }
        await writer.shutdown()
        if let failure { throw failure }
    }
}
