import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization

/// A scripted webhook receiver on a free local port. Routes (POST): `/ok`; `/fail/<n>/<tag>` answers 500 n times,
/// then 200; `/status/<code>`; `/gone` (410); `/slow/<n>/<tag>` sleeps past any test timeout n times, then 200;
/// `/hang` holds every request until `release()`. It records what arrived, and when, in order.
final class WebhookReceiver: Sendable {
    struct Arrival: Sendable {
        var path: String
        var at: ContinuousClock.Instant
        var headers: [String: String]
        var body: String
    }

    private struct State {
        var arrivals: [Arrival] = []
        var calls: [String: Int] = [:]
        var released = false
        var hangsAnswered = 0
    }

    private let state = Mutex(State())

    var arrivals: [Arrival] { state.withLock { $0.arrivals } }
    func arrivals(_ path: String) -> [Arrival] { arrivals.filter { $0.path == path } }
    /// Requests to `/hang` that have been answered (none before `release()`).
    var hangsAnswered: Int { state.withLock { $0.hangsAnswered } }
    func release() { state.withLock { $0.released = true } }

    func respond(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 1 << 20)
        let path = request.uri.path
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName] = field.value }
        let call = state.withLock { state in
            state.arrivals.append(Arrival(path: path, at: .now, headers: headers, body: String(buffer: body)))
            state.calls[path, default: 0] += 1
            return state.calls[path]!
        }
        let parts = path.split(separator: "/").map(String.init)
        switch parts.first {
        case "fail": return Self.status(call <= Int(parts[1])! ? 500 : 200)
        case "status": return Self.status(Int(parts[1])!)
        case "gone": return Self.status(410)
        case "slow":
            if call <= Int(parts[1])! { try? await Task.sleep(for: .seconds(1)) }
            return Self.status(200)
        case "hang":
            let start = ContinuousClock.now
            while !state.withLock({ $0.released }), ContinuousClock.now - start < .seconds(20) {
                try? await Task.sleep(for: .milliseconds(10))
            }
            state.withLock { $0.hangsAnswered += 1 }
            return Self.status(200)
        default: return Self.status(200)
        }
    }

    static func status(_ code: Int) -> Response {
        // A body a careless dispatcher might store or log.
        Response(
            status: HTTPResponse.Status(code: code), headers: [.contentType: "text/plain"],
            body: .init(byteBuffer: ByteBuffer(string: "RECEIVER-BODY-\(code)")))
    }

    /// Runs `body` with the receiver's port while a Hummingbird server serves it; stops the server after.
    static func with(_ body: (WebhookReceiver, Int) async throws -> Void) async throws {
        let receiver = WebhookReceiver()
        let router = Router()
        router.post("**") { request, _ in try await receiver.respond(request) }
        let port = Mutex(0)
        let logger = Logger(label: "webhook-test-receiver") { _ in SwiftLogNoOpLogHandler() }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port ?? 0 } }, logger: logger)
        let group = ServiceGroup(services: [app], logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }
            var failure: (any Error)?
            do { try await body(receiver, port.withLock { $0 }) } catch { failure = error }
            receiver.release()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            if let failure { throw failure }
        }
    }
}
