import Foundation
import VigilRuntime

/// Starts built executables and the dev broker for process-level tests.
enum ServiceProcess {
    static let environment = ProcessInfo.processInfo.environment
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let binaries = root.appendingPathComponent(".build/debug")

    static var available: Bool {
        environment["VIGIL_TANSU"] != nil && environment["VIGIL_PG_URL"] != nil
            && FileManager.default.isExecutableFile(atPath: binaries.appendingPathComponent("vigil-notify").path)
    }

    /// `VIGIL_PG_URL` with another login role and database (`postgresql://vigil@host:port/vigil` form).
    static func url(role: String, database: String) -> String {
        let base = environment["VIGIL_PG_URL"] ?? ""
        let hostAndPath = base.split(separator: "@", maxSplits: 1).last ?? ""
        let host = hostAndPath.split(separator: "/", maxSplits: 1).first ?? ""
        return "postgresql://\(role)@\(host)/\(database)"
    }

    static func start(_ executable: String, environment extra: [String: String]) throws -> Process {
        let process = Process()
        process.executableURL = binaries.appendingPathComponent(executable)
        process.environment = environment.merging(extra) { _, new in new }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Kills a broker from `startBroker` like a crash would (SIGKILL): on SIGTERM tansu waits for its
    /// clients to disconnect, which connected producers never do.
    static func killBroker(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static func startBroker(port: Int) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: environment["VIGIL_TANSU"]!)
        process.arguments = [
            "broker", "--listener-url", "tcp://127.0.0.1:\(port)", "--advertised-listener-url",
            "tcp://127.0.0.1:\(port)", "--storage-engine", "memory://tansu/",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    struct HTTPResult: Sendable {
        var status: Int
        var body: String
    }

    /// GETs `path` every 200 ms until `done` accepts the result (nil = connection refused) or time runs out.
    static func poll(
        port: Int, path: String, timeout: Duration = .seconds(20), until done: (HTTPResult?) -> Bool
    ) async throws -> HTTPResult? {
        let deadline = ContinuousClock.now + timeout
        var last: HTTPResult?
        while ContinuousClock.now < deadline {
            last = await get(port: port, path: path)
            if done(last) { return last }
            try await Task.sleep(for: .milliseconds(200))
        }
        return last
    }

    static func get(port: Int, path: String) async -> HTTPResult? {
        guard let response = try? await HTTP1Client.request("GET", port: port, path: path) else { return nil }
        return HTTPResult(status: response.status, body: response.text)
    }

    static func waitForExit(_ process: Process, timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        return !process.isRunning
    }
}

extension ServiceProcess {
    /// A port nothing listens on right now (bound to 0 and released), for servers started by tests.
    static func freePort() throws -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw PortError() }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(socketFD, $0, length) == 0 && getsockname(socketFD, $0, &length) == 0
            }
        }
        guard bound else { throw PortError() }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    struct PortError: Error {}
}
