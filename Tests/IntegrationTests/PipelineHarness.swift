import Foundation
import Testing
import VigilKafka
import VigilPostgres
import VigilRuntime

/// The whole pipeline as processes, for fault and privacy tests: a private tansu broker (memory storage, its own
/// port), a fresh migrated database, and the four built services, each logging in as its own role, with their
/// output captured to temp files. Nothing touches the dev broker, the dev database or `.vigil`.
///
/// A test uses one harness from one task: start, kill -9, restart a service; wait for /ready or any condition;
/// read the services' logs and /metrics; query PostgreSQL as the admin.
final class PipelineHarness {
    enum Service: String, CaseIterable {
        case ingest, deid, infer, notify
        var executable: String { "vigil-\(rawValue)" }
    }

    /// Built services and a tansu binary to run; `make test` provides both.
    static var available: Bool {
        ServiceProcess.available && ServiceProcess.environment["VIGIL_KAFKA_BROKERS"] != nil
            && (Service.allCases.map(\.executable) + ["vigil"]).allSatisfy {
                FileManager.default.isExecutableFile(atPath: ServiceProcess.binaries.appendingPathComponent($0).path)
            }
    }

    /// `VIGIL_FAULT_SCALE` (default 1): `make faults` sets it higher for longer streams.
    static var scale: Int { max(1, Int(ServiceProcess.environment["VIGIL_FAULT_SCALE"] ?? "") ?? 1) }

    let database: TestDatabase
    let directory: URL
    let kafkaPort: Int
    let partitions: Int
    let logLevel: String
    let httpPorts: [Service: Int]
    let mllpPort: Int
    let fhirPort: Int
    private var broker: Process?
    private var processes: [Service: Process] = [:]
    /// Second instances (same group, own HTTP port and log), by service.
    private var seconds: [Service: (process: Process, port: Int)] = [:]

    private init(database: TestDatabase, partitions: Int, logLevel: String) throws {
        self.database = database
        self.partitions = partitions
        self.logLevel = logLevel
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        kafkaPort = try ServiceProcess.freePort()
        mllpPort = try ServiceProcess.freePort()
        fhirPort = try ServiceProcess.freePort()
        var ports: [Service: Int] = [:]
        for service in Service.allCases { ports[service] = try ServiceProcess.freePort() }
        httpPorts = ports
    }

    /// Runs `body` with a broker and the four services up and ready on a fresh database, then stops them all
    /// (SIGTERM, then SIGKILL for any that linger), drops the database and deletes the logs, on every path.
    static func with(
        partitions: Int = 3, logLevel: String = "info", startBroker: Bool = true,
        _ body: (PipelineHarness) async throws -> Void
    ) async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let harness = try PipelineHarness(database: database, partitions: partitions, logLevel: logLevel)
            do {
                if startBroker { try harness.startBroker() }
                try await body(harness)
            } catch {
                await harness.stopAll()
                throw error
            }
            await harness.stopAll()
        }
    }

    /// Starts the four services and waits until each answers /ready with 200.
    func startAll() async throws {
        for service in Service.allCases { try start(service) }
        for service in Service.allCases { try await waitReady(service) }
    }

    // MARK: - Processes

    func startBroker() throws {
        broker = try ServiceProcess.startBroker(port: kafkaPort)
    }

    func start(_ service: Service) throws {
        processes[service] = try launch(service, environment: environment(for: service), log: logFile(service))
    }

    /// A second instance of `service` in the same consumer groups, with its own HTTP port (returned) and log.
    func startSecond(_ service: Service) async throws -> Int {
        let port = try ServiceProcess.freePort()
        var environment = environment(for: service)
        environment["VIGIL_\(service.rawValue.uppercased())_HTTP_PORT"] = "\(port)"
        let log = directory.appendingPathComponent("\(service.rawValue)-2.log")
        seconds[service] = (try launch(service, environment: environment, log: log), port)
        let ready = try await ServiceProcess.poll(port: port, path: "/ready", timeout: .seconds(90)) {
            $0?.status == 200
        }
        guard ready?.status == 200 else { throw Timeout(description: "second \(service.executable) not ready") }
        return port
    }

    private func launch(_ service: Service, environment: [String: String], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = ServiceProcess.binaries.appendingPathComponent(service.executable)
        process.currentDirectoryURL = ServiceProcess.root
        process.environment = environment
        if !FileManager.default.fileExists(atPath: log.path) {
            FileManager.default.createFile(atPath: log.path, contents: nil)
        }
        let handle = try FileHandle(forWritingTo: log)
        try handle.seekToEnd()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        try handle.close()  // the child has its own descriptor
        return process
    }

    /// SIGKILL, like a crash: no shutdown, no offset commit, no producer flush.
    func kill9(_ service: Service) async {
        guard let process = processes[service], process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        _ = await ServiceProcess.waitForExit(process, timeout: .seconds(30))
    }

    func restart(_ service: Service) async throws {
        try start(service)
        try await waitReady(service)
    }

    /// PostgreSQL gone for this pipeline, as in a restart: every session on the test database is ended (57P01,
    /// what a fast shutdown sends) and new ones are refused until `body` returns. Only this test's database is
    /// touched, so the tests running beside it keep theirs.
    func postgresOutage(_ body: () async throws -> Void) async throws {
        let name = database.name
        func allowConnections(_ allowed: Bool) async throws {
            try await TestDatabase.withAdmin {
                _ = try await $0.execute("ALTER DATABASE \(identifier: name) WITH ALLOW_CONNECTIONS \(unescaped: allowed ? "true" : "false")")
            }
        }
        try await allowConnections(false)
        try await TestDatabase.withAdmin { admin in
            _ = try await admin.query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = \(name) AND pid <> pg_backend_pid()")
        }
        do {
            try await body()
        } catch {
            try? await allowConnections(true)
            throw error
        }
        try await allowConnections(true)
        // The harness's own pool lost its sessions too: the first use of each finds it dead and replaces it.
        _ = try await wait(timeout: .seconds(10), interval: .milliseconds(100)) {
            (try? await database.pool.query("SELECT 1")) != nil
        }
    }

    func isRunning(_ service: Service) -> Bool { processes[service]?.isRunning == true }

    private func stopAll() async {
        let all = Array(processes.values) + seconds.values.map(\.process)
        for process in all where process.isRunning { kill(process.processIdentifier, SIGTERM) }
        for process in all where !(await ServiceProcess.waitForExit(process, timeout: .seconds(15))) {
            kill(process.processIdentifier, SIGKILL)
            _ = await ServiceProcess.waitForExit(process, timeout: .seconds(5))
        }
        if let broker { ServiceProcess.killBroker(broker) }
        // VIGIL_PIPELINE_KEEP_LOGS=1 keeps the services' logs to look at after a failure.
        if ServiceProcess.environment["VIGIL_PIPELINE_KEEP_LOGS"] == nil {
            try? FileManager.default.removeItem(at: directory)
        } else {
            print("pipeline logs kept in \(directory.path)")
        }
    }

    /// The test's own settings on top of the process environment, minus the dev env's key files.
    private func environment(for service: Service) -> [String: String] {
        var environment = ServiceProcess.environment
        for name in [
            "VIGIL_DEID_KEYRING_FILE", "VIGIL_NOTIFY_WEBHOOK_KEY_FILE", "VIGIL_NOTIFY_PRINCIPALS",
            "VIGIL_DEID_REID_PRINCIPALS", "VIGIL_NOTIFY_REID_URL", "VIGIL_NOTIFY_REID_TOKEN_FILE",
            "VIGIL_NARRATIVE_ENDPOINT",
        ] {
            environment[name] = nil
        }
        let upper = service.rawValue.uppercased()
        environment["VIGIL_KAFKA_BROKERS"] = "127.0.0.1:\(kafkaPort)"
        environment["VIGIL_\(upper)_PG_URL"] = ServiceProcess.url(role: service.rawValue, database: database.name)
        environment["VIGIL_\(upper)_HTTP_PORT"] = "\(httpPorts[service]!)"
        environment["VIGIL_LOG_LEVEL"] = logLevel
        environment["VIGIL_TOPIC_PARTITIONS"] = "\(partitions)"
        environment["VIGIL_SHUTDOWN_TIMEOUT"] = "10s"
        switch service {
        case .ingest:
            environment["VIGIL_MLLP_PORT"] = "\(mllpPort)"
            environment["VIGIL_FHIR_PORT"] = "\(fhirPort)"
        case .deid:
            environment["VIGIL_DEID_KEYRING"] = Self.keyring
        case .infer:
            environment["VIGIL_CODE_VERSION"] = "pipeline-test"
        case .notify:
            environment["VIGIL_NOTIFY_MONITOR_SECONDS"] = "5"
        }
        return environment
    }

    /// The test's own de-identification key (never the dev keyring).
    static let keyring =
        #"{"current":"f1","keys":{"f1":"\#(Data((0..<32).map { UInt8($0 * 7 % 251) }).base64EncodedString())"}}"#

    // MARK: - Output

    func logFile(_ service: Service) -> URL { directory.appendingPathComponent("\(service.rawValue).log") }

    func log(_ service: Service) -> String {
        (try? String(contentsOf: logFile(service), encoding: .utf8)) ?? ""
    }

    func metrics(_ service: Service) async -> String? {
        let result = await ServiceProcess.get(port: httpPorts[service]!, path: "/metrics")
        return result?.status == 200 ? result?.body : nil
    }

    // MARK: - Waiting

    struct Timeout: Error, CustomStringConvertible {
        var description: String
    }

    func waitReady(_ service: Service, timeout: Duration = .seconds(90)) async throws {
        let ready = try await ServiceProcess.poll(port: httpPorts[service]!, path: "/ready", timeout: timeout) {
            $0?.status == 200
        }
        guard ready?.status == 200 else {
            let tail = log(service).split(separator: "\n").suffix(5).joined(separator: "\n")
            throw Timeout(description: "\(service.executable) not ready after \(timeout): \(tail)")
        }
    }

    /// The status /ready answers now (nil: nothing listening).
    func readyStatus(_ service: Service) async -> Int? {
        await ServiceProcess.get(port: httpPorts[service]!, path: "/ready")?.status
    }

    /// Polls `condition` every `interval` until it holds; false if `timeout` passes first.
    func wait(
        timeout: Duration, interval: Duration = .milliseconds(500), until condition: () async throws -> Bool
    ) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: interval)
        }
        return try await condition()
    }

    // MARK: - PostgreSQL (as the admin that migrated the database)

    func count(_ query: PostgresQuery) async throws -> Int {
        try await database.pool.query(query).first?.decode(Int.self, at: 0) ?? 0
    }

    func strings(_ query: PostgresQuery) async throws -> [String] {
        try await database.pool.query(query).map { try $0.decode(String.self, at: 0) }
    }

    /// Every row of every table in `schemas`, as text (`SELECT t::text FROM schema.table t`), by table.
    func dump(schemas: [String]) async throws -> [(table: String, rows: [String])] {
        let tables = try await database.pool.query(
            """
            SELECT table_schema::text, table_name::text FROM information_schema.tables
            WHERE table_schema::text = ANY(\(PostgresTextArray(schemas))::text[]) AND table_type = 'BASE TABLE' ORDER BY 1, 2
            """
        ).map { try $0.decode((String, String).self) }
        var result: [(String, [String])] = []
        for (schema, table) in tables {
            let rows = try await strings("SELECT t::text FROM \(identifier: schema).\(identifier: table) t")
            result.append(("\(schema).\(table)", rows))
        }
        return result
    }

    // MARK: - Kafka

    var kafka: KafkaConfiguration {
        let consumerOptions =
            ServiceProcess.environment["VIGIL_KAFKA_CONSUMER_OPTIONS"]
            .flatMap { try? KafkaConfiguration.parseOptions($0) } ?? [:]
        return KafkaConfiguration(
            brokers: "127.0.0.1:\(kafkaPort)", clientID: "vigil-pipeline-test", options: [:],
            consumerOptions: consumerOptions, statisticsIntervalMs: 0)
    }
}
