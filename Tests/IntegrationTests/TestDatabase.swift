import Foundation
import Logging
import VigilPostgres

/// A fresh, uniquely named database per test on the cluster at `VIGIL_PG_URL`, dropped afterwards, so tests
/// run side by side. Integration suites use `.enabled(if: TestDatabase.isConfigured)`.
struct TestDatabase: Sendable {
    let name: String
    let pool: PostgresPool

    static let url = ProcessInfo.processInfo.environment["VIGIL_PG_URL"]
    static var isConfigured: Bool { url != nil }

    static let logger: Logger = {
        var logger = Logger(label: "vigil.tests.postgres")
        logger.logLevel = .warning
        return logger
    }()

    /// The repository's `migrations/` folder.
    static let migrationsDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("migrations")

    /// A configuration for this test's database, e.g. for extra pools.
    func configuration(poolSize: Int = 4) -> PostgresConfiguration {
        PostgresConfiguration(connectionString: Self.url ?? "", database: name, poolSize: poolSize)
    }

    /// Creates a database, runs `body` with a pool on it (after applying the repository's migrations if
    /// `migrated`), then closes the pool and drops the database, whether `body` succeeded or not.
    static func withFresh(
        poolSize: Int = 4, migrated: Bool = false, _ body: (TestDatabase) async throws -> Void
    ) async throws {
        let name = "vigil_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(20)
        try await withAdmin { try await $0.execute("CREATE DATABASE \(identifier: name)") }
        let database = TestDatabase(
            name: name,
            pool: PostgresPool(
                configuration: PostgresConfiguration(connectionString: url ?? "", database: name, poolSize: poolSize),
                logger: logger))
        do {
            if migrated { try await database.migrate() }
            try await body(database)
        } catch {
            await database.pool.close()
            try? await drop(name)
            throw error
        }
        await database.pool.close()
        try await drop(name)
    }

    /// Applies the repository's migrations; returns what was applied.
    @discardableResult
    func migrate() async throws -> [Migration] {
        let migrations = try Migration.load(directory: Self.migrationsDirectory)
        return try await Migrator(pool: pool, migrations: migrations, logger: Self.logger).apply()
    }

    /// A connection to the database named in `VIGIL_PG_URL`, for CREATE/DROP DATABASE.
    static func withAdmin<Value: Sendable>(_ body: (PostgresConnection) async throws -> Value) async throws -> Value {
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConfiguration(connectionString: url ?? ""), logger: logger)
        do {
            let value = try await body(connection)
            await connection.close()
            return value
        } catch {
            await connection.close()
            throw error
        }
    }

    private static func drop(_ name: String) async throws {
        try await withAdmin { try await $0.execute("DROP DATABASE IF EXISTS \(identifier: name) WITH (FORCE)") }
    }
}
