import Foundation
import Logging

/// Applies versioned migrations and records them in `platform.schema_migrations`.
///
/// Each migration runs exactly once, in its own transaction together with its record. A recorded migration
/// whose file changed since is refused (`.checksumMismatch`). Runs from several processes at once are
/// serialized by a session-level advisory lock, polled with `pg_try_advisory_lock` so that waiting never
/// blocks a thread.
public struct Migrator: Sendable {
    public let pool: PostgresPool
    public let migrations: [Migration]
    /// How long to wait for another process's run to finish. Default 5 minutes.
    public var lockTimeout: Duration
    private let logger: Logger

    /// Advisory lock key for migration runs: ASCII "vigilmig".
    static let lockKey: Int64 = 0x7669_6769_6c6d_6967
    private static let lockPollInterval: Duration = .milliseconds(100)

    static let bootstrapSQL = """
        CREATE SCHEMA IF NOT EXISTS platform;
        CREATE TABLE IF NOT EXISTS platform.schema_migrations (
            schema text NOT NULL,
            version integer NOT NULL CHECK (version > 0),
            name text NOT NULL,
            sha256 bytea NOT NULL CHECK (octet_length(sha256) = 32),
            applied_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (schema, version)
        );
        """

    public init(pool: PostgresPool, migrations: [Migration], lockTimeout: Duration = .seconds(300), logger: Logger) {
        self.pool = pool
        self.migrations = Migration.ordered(migrations)
        self.lockTimeout = lockTimeout
        self.logger = logger
    }

    /// Applies every migration not yet recorded, in order, and returns those it applied.
    public func apply() async throws -> [Migration] {
        try await pool.withConnection { connection in
            try await lock(connection)
            let applied: [Migration]
            do {
                applied = try await applyPending(connection)
            } catch {
                await unlock(connection)
                throw error
            }
            await unlock(connection)
            return applied
        }
    }

    /// What `platform.schema_migrations` records, in application order; empty before the first run.
    public func appliedMigrations() async throws -> [AppliedMigration] {
        let exists = try await pool.query("SELECT to_regclass('platform.schema_migrations') IS NOT NULL")
        guard try exists.first?.decode(Bool.self) == true else { return [] }
        let rows = try await pool.query(
            "SELECT schema, version, name, encode(sha256, 'hex'), applied_at FROM platform.schema_migrations")
        let records = try rows.map { row in
            let (schema, version, name, sha256, at) = try row.decode((String, Int, String, String, Date).self)
            return AppliedMigration(schema: schema, version: version, name: name, sha256: sha256, appliedAt: at)
        }
        return records.sorted { Migration.precedes(($0.schema, $0.version), ($1.schema, $1.version)) }
    }

    private func applyPending(_ connection: PostgresConnection) async throws -> [Migration] {
        try await connection.simpleExecute(Self.bootstrapSQL)
        var recorded: [String: String] = [:]  // "schema/version" → sha256 hex
        for row in try await connection.query(
            "SELECT schema, version, encode(sha256, 'hex') FROM platform.schema_migrations")
        {
            let (schema, version, sha256) = try row.decode((String, Int, String).self)
            recorded["\(schema)/\(version)"] = sha256
        }
        // Refuse to go on if any applied file changed, before applying anything new.
        for migration in migrations {
            guard let sha256 = recorded.removeValue(forKey: "\(migration.schema)/\(migration.version)") else {
                continue
            }
            let current = try await connection.query("SELECT encode(sha256(\(Array(migration.sql.utf8))), 'hex')")
            guard try current.first?.decode(String.self) == sha256 else {
                throw MigrationError(
                    code: .checksumMismatch,
                    message: "\(migration) changed after it was applied; add a new migration instead",
                    schema: migration.schema, version: migration.version)
            }
        }
        for key in recorded.keys.sorted() {
            logger.warning("Applied migration has no file", metadata: ["migration.key": "\(key)"])
        }
        var applied: [Migration] = []
        for migration in migrations
        where try await !isRecorded(migration, connection) {
            try await apply(migration, connection)
            applied.append(migration)
        }
        return applied
    }

    private func isRecorded(_ migration: Migration, _ connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            SELECT 1 FROM platform.schema_migrations WHERE schema = \(migration.schema) AND version = \(migration.version)
            """)
        return !rows.isEmpty
    }

    private func apply(_ migration: Migration, _ connection: PostgresConnection) async throws {
        do {
            try await connection.withTransaction { connection in
                try await connection.simpleExecute(migration.sql)
                guard connection.sessionState == .inTransaction else {
                    throw MigrationError(
                        code: .failed, message: "\(migration) must not end the transaction itself",
                        schema: migration.schema, version: migration.version)
                }
                try await connection.simpleExecute("RESET ROLE")  // undo a SET LOCAL ROLE before recording
                try await connection.execute(
                    """
                    INSERT INTO platform.schema_migrations (schema, version, name, sha256)
                    VALUES (\(migration.schema), \(migration.version), \(migration.name), \
                    sha256(\(Array(migration.sql.utf8))))
                    """)
            }
        } catch let error as PostgresError {
            throw MigrationError(
                code: .failed, message: "\(migration) failed", schema: migration.schema, version: migration.version,
                underlying: error)
        }
        logger.info(
            "Applied migration",
            metadata: ["migration.schema": "\(migration.schema)", "migration.version": "\(migration.version)"])
    }

    private func lock(_ connection: PostgresConnection) async throws {
        let deadline = ContinuousClock.now + lockTimeout
        var announced = false
        while true {
            let rows = try await connection.query("SELECT pg_try_advisory_lock(\(Self.lockKey))")
            if try rows.first?.decode(Bool.self) == true { return }
            guard ContinuousClock.now < deadline else {
                throw MigrationError(code: .lockTimeout, message: "another migration run holds the lock")
            }
            if !announced {
                logger.info("Waiting for another migration run to finish")
                announced = true
            }
            try await Task.sleep(for: Self.lockPollInterval)
        }
    }

    /// Releases the lock; if that fails the session is closed, which releases it too.
    private func unlock(_ connection: PostgresConnection) async {
        do {
            try await connection.simpleExecute("SELECT pg_advisory_unlock(\(Self.lockKey))", cancellable: false)
        } catch {
            await connection.close()
        }
    }
}

/// A row of `platform.schema_migrations`.
public struct AppliedMigration: Sendable, Hashable {
    public let schema: String
    public let version: Int
    public let name: String
    /// Lower-case hex SHA-256 of the file as applied.
    public let sha256: String
    public let appliedAt: Date
}
