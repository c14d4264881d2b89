import Foundation
import Testing
import VigilPostgres

@Suite("PostgreSQL pool across server restarts", .enabled(if: TestDatabase.isConfigured), .timeLimit(.minutes(2)))
struct PostgresRestartTests {
    @Test("queries fail while the server is down and succeed after it is back, with the same pool")
    func stopAndStart() async throws {
        let cluster = try await ScratchCluster.create()
        defer { cluster.destroy() }
        let pool = PostgresPool(
            configuration: PostgresConfiguration(
                connectionString: cluster.url, poolSize: 2, connectTimeout: .seconds(2)),
            logger: TestDatabase.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in  // warm both connections
            for _ in 0..<2 { group.addTask { _ = try await pool.query("SELECT pg_sleep(0.1)") } }
            try await group.waitForAll()
        }
        #expect(pool.status.open == 2)

        try await cluster.pgCtl("stop", "-m", "fast")
        for _ in 0..<3 {
            let error = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            #expect(error?.code == .connectionFailed)
        }

        try await cluster.start()
        // The first failure marked the other idle connection for validation, so nothing stale is left.
        #expect(try await pool.query("SELECT 1").first?.decode(Int.self) == 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<4 { group.addTask { _ = try await pool.query("SELECT pg_sleep(0.05)") } }
            try await group.waitForAll()
        }
        #expect(pool.status.open <= 2)
        await pool.close()
    }

    @Test("pg_ctl restart: at most one query fails; with validation on every checkout none does")
    func restart() async throws {
        let cluster = try await ScratchCluster.create()
        defer { cluster.destroy() }
        let lazy = PostgresPool(
            configuration: PostgresConfiguration(connectionString: cluster.url, poolSize: 2),
            logger: TestDatabase.logger)
        let eager = PostgresPool(
            configuration: PostgresConfiguration(
                connectionString: cluster.url, poolSize: 2, idleValidationInterval: .zero),
            logger: TestDatabase.logger)
        _ = try await lazy.query("SELECT 1")
        _ = try await eager.query("SELECT 1")

        try await cluster.pgCtl("restart", "-m", "fast", "-l", cluster.directory + "/server.log")

        #expect(try await eager.query("SELECT 1").count == 1, "the dead idle connection was validated and replaced")
        var failures = 0
        while true {
            do {
                _ = try await lazy.query("SELECT 1")
                break
            } catch let error as PostgresError {
                #expect(error.code == .connectionFailed)
                failures += 1
                try #require(failures < 2)
            }
        }
        #expect(failures <= 1)
        await lazy.close()
        await eager.close()
    }
}

/// A throwaway PostgreSQL cluster on its own port, so restarting it does not disturb other tests using the
/// shared dev cluster. Runs the server binaries as `postgres` when the tests run as root.
struct ScratchCluster: Sendable {
    let directory: String
    let port: Int
    let binaries: String

    var url: String { "postgresql://vigil@127.0.0.1:\(port)/postgres" }

    static func create() async throws -> ScratchCluster {
        let versions = try FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")
        let version = try #require(versions.compactMap { Int($0) }.max(), "no PostgreSQL server installed")
        let cluster = ScratchCluster(
            directory: "/tmp/vigil-pg-scratch-\(UUID().uuidString.prefix(8))", port: try ServiceProcess.freePort(),
            binaries: "/usr/lib/postgresql/\(version)/bin")
        try await cluster.run(
            "initdb", "-D", cluster.directory + "/data", "-U", "vigil", "-A", "trust", "-E", "UTF8", "--no-locale")
        try await cluster.start()
        return cluster
    }

    func start() async throws {
        try await pgCtl(
            "start", "-t", "30", "-l", directory + "/server.log", "-o",
            "-p \(port) -k \(directory) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=20")
    }

    func pgCtl(_ arguments: String...) async throws {
        try await run("pg_ctl", ["-D", directory + "/data", "-w"] + arguments)
    }

    func destroy() {
        _ = try? Self.spawn(command("pg_ctl", ["-D", directory + "/data", "-m", "immediate", "stop"]))
        try? FileManager.default.removeItem(atPath: directory)
    }

    private func run(_ tool: String, _ arguments: String...) async throws {
        try await run(tool, arguments)
    }

    private func run(_ tool: String, _ arguments: [String]) async throws {
        let argv = command(tool, arguments)
        // A thread of its own waits for the tool, so no cooperative thread blocks.
        let status = try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try Self.spawn(argv) }) }.start()
        }
        try #require(status == 0, "\(tool) \(arguments.first ?? "") exited with \(status)")
    }

    /// The tool's command line, run as `postgres` when the tests run as root (the server refuses root).
    private func command(_ tool: String, _ arguments: [String]) -> [String] {
        getuid() == 0
            ? ["/usr/sbin/runuser", "-u", "postgres", "--", binaries + "/" + tool] + arguments
            : [binaries + "/" + tool] + arguments
    }

    /// posix_spawn + waitpid rather than Foundation's Process, whose exit monitoring missed these children
    /// (the test hung on a zombie `runuser`). Output goes to /dev/null: the server logs to its own file.
    private static func spawn(_ argv: [String]) throws -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let cArguments = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, environ)
        try #require(spawned == 0, "cannot start \(argv[0]): error \(spawned)")
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            try #require(errno == EINTR, "waitpid failed: \(errno)")
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
