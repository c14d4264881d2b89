import Foundation
#if canImport(Glibc)
    import Glibc
#endif

/// Headless Chromium driven over the DevTools protocol on a pipe (`--remote-debugging-pipe`: commands on fd 3,
/// replies on fd 4, NUL-separated JSON), so no WebSocket client or driver package is needed. For tests only:
/// one page, one caller.
final class ChromiumCDP {
    static let binary = "/usr/bin/chromium"
    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: binary) }

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let pid: pid_t
    private let commands: Int32
    private var replies: AsyncStream<[UInt8]>.Iterator
    private var nextID = 0
    private var session = ""
    /// Events received while waiting for replies, oldest first.
    private(set) var events: [[String: Any]] = []

    init(profile: URL) throws {
        var toChrome: [Int32] = [0, 0]
        var fromChrome: [Int32] = [0, 0]
        guard pipe(&toChrome) == 0, pipe(&fromChrome) == 0 else { throw Failure(description: "pipe failed") }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // Move the child's ends above 3 and 4 first, so the dup2s below cannot clobber one another.
        let childRead = fcntl(toChrome[0], F_DUPFD, 100)
        let childWrite = fcntl(fromChrome[1], F_DUPFD, 100)
        posix_spawn_file_actions_adddup2(&actions, childRead, 3)
        posix_spawn_file_actions_adddup2(&actions, childWrite, 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let arguments = [
            Self.binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-extensions",
            "--remote-debugging-pipe", "--window-size=1280,1400", "--user-data-dir=\(profile.path)", "about:blank",
        ]
        var argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let spawned = posix_spawn(&child, Self.binary, &actions, nil, &argv, environ)
        [toChrome[0], fromChrome[1], childRead, childWrite].forEach { PipeEnd.close($0) }
        guard spawned == 0 else { throw Failure(description: "posix_spawn chromium failed: \(spawned)") }
        pid = child
        commands = toChrome[1]
        let input = fromChrome[0]
        let (stream, continuation) = AsyncStream.makeStream(of: [UInt8].self)
        replies = stream.makeAsyncIterator()
        // Blocking reads stay off the cooperative pool: a thread of its own, ended by EOF when Chromium exits.
        Thread {
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 65536)
            while true {
                let count = read(input, &buffer, buffer.count)
                guard count > 0 else { break }
                pending += buffer[..<count]
                while let end = pending.firstIndex(of: 0) {
                    continuation.yield(Array(pending[..<end]))
                    pending.removeFirst(end + 1)
                }
            }
            PipeEnd.close(input)
            continuation.finish()
        }.start()
        // Ticks (empty messages) let waits notice their deadline when Chromium says nothing.
        Thread {
            while case .enqueued = continuation.yield([]) { Thread.sleep(forTimeInterval: 0.25) }
        }.start()
    }

    /// Opens one page and attaches to it; page, runtime and network events are on from then on.
    func openPage() async throws {
        let target = try await send("Target.createTarget", ["url": "about:blank"], browser: true)
        let attached = try await send(
            "Target.attachToTarget", ["targetId": target["targetId"] ?? "", "flatten": true], browser: true)
        session = attached["sessionId"] as? String ?? ""
        for domain in ["Page", "Runtime", "Network"] { _ = try await send("\(domain).enable") }
    }

    @discardableResult
    func send(_ method: String, _ params: [String: Any] = [:], browser: Bool = false) async throws -> [String: Any] {
        nextID += 1
        var message: [String: Any] = ["id": nextID, "method": method, "params": params]
        if !browser { message["sessionId"] = session }
        var bytes = Array(try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        let written = bytes.withUnsafeBytes { write(commands, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw Failure(description: "write to chromium failed") }
        let deadline = ContinuousClock.now + .seconds(30)
        while let reply = try await next() {
            guard ContinuousClock.now < deadline else { break }
            if reply.isEmpty { continue }
            if reply["id"] as? Int == nextID {
                if let error = reply["error"] as? [String: Any] { throw Failure(description: "\(method): \(error)") }
                return reply["result"] as? [String: Any] ?? [:]
            }
            events.append(reply)
        }
        throw Failure(description: "no reply from chromium to \(method)")
    }

    /// Runs `action` (a navigation or a form submission) and waits for the page it leads to; returns the HTTP
    /// status of that document.
    @discardableResult
    func loading(_ action: () async throws -> Void) async throws -> Int {
        events.removeAll()
        try await action()
        let deadline = ContinuousClock.now + .seconds(20)
        while !events.contains(where: { $0["method"] as? String == "Page.loadEventFired" }) {
            guard ContinuousClock.now < deadline, let event = try await next() else {
                let seen = events.compactMap { $0["method"] as? String }
                throw Failure(description: "the page did not load; events: \(seen)")
            }
            if !event.isEmpty { events.append(event) }
        }
        let documents = events.filter {
            $0["method"] as? String == "Network.responseReceived"
                && ($0["params"] as? [String: Any])?["type"] as? String == "Document"
        }
        let response = (documents.last?["params"] as? [String: Any])?["response"] as? [String: Any]
        return response?["status"] as? Int ?? 0
    }

    func navigate(_ url: String) async throws -> Int {
        try await loading { try await send("Page.navigate", ["url": url]) }
    }

    /// Evaluates JavaScript in the page and returns its value (strings, numbers, booleans).
    func evaluate(_ expression: String) async throws -> Any? {
        let result = try await send("Runtime.evaluate", ["expression": expression, "returnByValue": true])
        return (result["result"] as? [String: Any])?["value"]
    }

    func screenshot(to file: URL) async throws {
        let shot = try await send("Page.captureScreenshot", ["format": "png", "captureBeyondViewport": true])
        guard let data = Data(base64Encoded: shot["data"] as? String ?? "") else {
            throw Failure(description: "no screenshot")
        }
        try data.write(to: file)
    }

    func close() async {
        _ = try? await send("Browser.close", browser: true)
        PipeEnd.close(commands)
        var status: Int32 = 0
        if waitpid(pid, &status, WNOHANG) == 0 {
            try? await Task.sleep(for: .milliseconds(500))
            if waitpid(pid, &status, WNOHANG) == 0 { kill(pid, SIGKILL); waitpid(pid, &status, 0) }
        }
    }

    private func next() async throws -> [String: Any]? {
        guard let bytes = await replies.next() else { return nil }
        if bytes.isEmpty { return [:] }
        return try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]
    }
}

/// `close(2)`, which the class's own `close()` hides inside it.
enum PipeEnd {
    static func close(_ fd: Int32) { _ = Glibc.close(fd) }
}
