import Foundation
import Logging
import VigilPostgres

/// What the end-to-end bench runs against: a private tansu broker (memory storage, its own port), a fresh
/// database migrated with `vigil migrate`, and the four release-built services, each logging in as its own
/// role with its own ports, as `make run` starts them. Nothing touches the dev broker, database or ports, so
/// earlier runs (and someone else's `make run`) neither disturb it nor are disturbed.
final class E2EStack {
    enum Service: String, CaseIterable, Codable {
        case ingest, deid, infer, notify
    }

    let binaries: URL
    let root: URL
    let logs: URL
    let database = "vigil_bench_" + UUID().uuidString.prefix(8).lowercased()
    let kafkaPort: Int
    let mllpPort: Int
    let httpPorts: [Service: Int]
    private(set) var broker: Process?
    private(set) var processes: [Service: Process] = [:]
    private let environment = ProcessInfo.processInfo.environment

    init(binaries: URL, root: URL, logs: URL) throws {
        self.binaries = binaries
        self.root = root
        self.logs = logs
        kafkaPort = try freePort()
        mllpPort = try freePort()
        var ports: [Service: Int] = [:]
        for service in Service.allCases { ports[service] = try freePort() }
        httpPorts = ports
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
    }

    var brokers: String { "127.0.0.1:\(kafkaPort)" }
    var adminURL: String { environment["VIGIL_PG_URL"] ?? "postgresql://vigil@127.0.0.1:55432/vigil" }

    /// `VIGIL_PG_URL` with another role and this run's database.
    func url(role: String) -> String {
        let hostAndPath = adminURL.split(separator: "@", maxSplits: 1).last ?? ""
        return "postgresql://\(role)@\(hostAndPath.split(separator: "/", maxSplits: 1).first ?? "")/\(database)"
    }

    func startBroker() throws {
        guard let tansu = environment["VIGIL_TANSU"] else {
            throw BenchFailure("VIGIL_TANSU is not set: source .vigil/env")
        }
        broker = try spawn(
            URL(fileURLWithPath: tansu),
            [
                "broker", "--listener-url", "tcp://\(brokers)", "--advertised-listener-url", "tcp://\(brokers)",
                "--storage-engine", "memory://tansu/",
            ],
            environment: environment, log: logs.appendingPathComponent("broker.log"))
    }

    /// Until the broker accepts connections (it takes a moment to listen after it starts).
    func waitForBroker() async throws {
        for _ in 0..<100 {
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            address.sin_port = UInt16(kafkaPort).bigEndian
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
                }
            }
            close(fd)
            if connected { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw BenchFailure("the broker did not listen on \(brokers): see \(logs.path)/broker.log")
    }

    /// CREATE DATABASE, then `vigil migrate` on it (the same command `make run` uses).
    func createDatabase(logger: Logger) async throws {
        let admin = try await PostgresConnection.connect(
            configuration: PostgresConfiguration(connectionString: adminURL), logger: logger)
        _ = try await admin.execute("CREATE DATABASE \(identifier: database)")
        await admin.close()
        let migrate = try spawn(
            binaries.appendingPathComponent("vigil"),
            ["migrate", "--pg-url", url(role: "vigil"), "--dir", root.appendingPathComponent("migrations").path],
            environment: environment, log: logs.appendingPathComponent("migrate.log"))
        migrate.waitUntilExit()
        guard migrate.terminationStatus == 0 else {
            throw BenchFailure("vigil migrate failed: see \(logs.path)/migrate.log")
        }
    }

    func dropDatabase(logger: Logger) async {
        guard
            let admin = try? await PostgresConnection.connect(
                configuration: PostgresConfiguration(connectionString: adminURL), logger: logger)
        else { return }
        _ = try? await admin.execute("DROP DATABASE IF EXISTS \(identifier: database) WITH (FORCE)")
        await admin.close()
    }

    func startServices() throws {
        for service in Service.allCases {
            processes[service] = try spawn(
                binaries.appendingPathComponent("vigil-\(service.rawValue)"), [],
                environment: serviceEnvironment(service), log: logs.appendingPathComponent("\(service.rawValue).log"))
        }
    }

    /// The dev environment minus its key files and API principals (no extra ports), plus this run's settings.
    private func serviceEnvironment(_ service: Service) -> [String: String] {
        var env = environment
        for name in [
            "VIGIL_DEID_KEYRING_FILE", "VIGIL_NOTIFY_WEBHOOK_KEY_FILE", "VIGIL_NOTIFY_PRINCIPALS",
            "VIGIL_DEID_REID_PRINCIPALS", "VIGIL_NOTIFY_REID_URL", "VIGIL_NOTIFY_REID_TOKEN_FILE",
            "VIGIL_NARRATIVE_ENDPOINT",
        ] { env[name] = nil }
        let upper = service.rawValue.uppercased()
        env["VIGIL_KAFKA_BROKERS"] = brokers
        env["VIGIL_\(upper)_PG_URL"] = url(role: service.rawValue)
        env["VIGIL_\(upper)_HTTP_PORT"] = "\(httpPorts[service]!)"
        env["VIGIL_SHUTDOWN_TIMEOUT"] = "10s"
        env["VIGIL_MLLP_PORT"] = "\(mllpPort)"
        env["VIGIL_FHIR_PORT"] = "0"
        env["VIGIL_CODE_VERSION"] = "bench"
        // A throwaway key: the bench never reads the dev keyring.
        let key = Data((0..<32).map { UInt8($0 * 11 % 251) }).base64EncodedString()
        env["VIGIL_DEID_KEYRING"] = #"{"current":"b1","keys":{"b1":"\#(key)"}}"#
        return env
    }

    /// SIGTERM (graceful: flush, commit), SIGKILL for any still running after 15 s; the broker is killed.
    func stopAll() async {
        let all = Array(processes.values)
        for process in all where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        let deadline = ContinuousClock.now + .seconds(15)
        while all.contains(where: \.isRunning), ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(100))
        }
        for process in all where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        if let broker, broker.isRunning { kill(broker.processIdentifier, SIGKILL) }
        processes = [:]
    }

    private func spawn(_ executable: URL, _ arguments: [String], environment: [String: String], log: URL) throws
        -> Process
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = environment
        process.currentDirectoryURL = root
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()  // the child keeps its own descriptor
        return process
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// A port the kernel just handed out (bound to 0 and closed): free unless someone takes it first.
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw BenchFailure("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
            bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
        }
    }
    guard bound else { throw BenchFailure("bind() failed") }
    return Int(UInt16(bigEndian: address.sin_port))
}
