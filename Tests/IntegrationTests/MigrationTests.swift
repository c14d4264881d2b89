import Foundation
import Testing
import VigilPostgres

@Suite("Migrations", .enabled(if: TestDatabase.isConfigured), .timeLimit(.minutes(2)))
struct MigrationTests {
    static func load() throws -> [Migration] {
        try Migration.load(directory: TestDatabase.migrationsDirectory)
    }

    /// Writes `files` (relative path → SQL) into a fresh folder.
    static func folder(_ files: [String: String]) throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-migrations-\(UUID())")
        for (path, sql) in files {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try sql.write(to: url, atomically: true, encoding: .utf8)
        }
        return root
    }

    @Test("files load platform first, then schemas alphabetically, by numeric version")
    func ordering() throws {
        let root = try Self.folder([
            "zeta/0001_a.sql": "SELECT 1", "alpha/0010_c.sql": "SELECT 1", "alpha/0002_b.sql": "SELECT 1",
            "platform/0003_p.sql": "SELECT 1", "alpha/README.md": "ignored",
        ])
        defer { try? FileManager.default.removeItem(at: root) }
        let loaded = try Migration.load(directory: root)
        #expect(loaded.map(\.description) == ["platform/0003_p", "alpha/0002_b", "alpha/0010_c", "zeta/0001_a"])
        let repository = try Self.load()
        #expect(repository.first?.description == "platform/0001_roles")
        #expect(repository.contains { $0.description == "audit/0001_log" })
    }

    @Test("malformed names and duplicate versions are rejected")
    func badLayout() throws {
        let malformed = try Self.folder(["alpha/1_short.sql": "SELECT 1"])
        defer { try? FileManager.default.removeItem(at: malformed) }
        let error = #expect(throws: MigrationError.self) { try Migration.load(directory: malformed) }
        #expect(error?.code == .invalidLayout)

        let duplicate = try Self.folder(["alpha/0001_a.sql": "SELECT 1", "alpha/0001_b.sql": "SELECT 2"])
        defer { try? FileManager.default.removeItem(at: duplicate) }
        let second = #expect(throws: MigrationError.self) { try Migration.load(directory: duplicate) }
        #expect(second?.code == .duplicateVersion)
        #expect(second?.schema == "alpha" && second?.version == 1)
    }

    @Test("applying twice applies nothing the second time")
    func idempotent() async throws {
        try await TestDatabase.withFresh { database in
            let migrations = try Self.load()
            let first = try await database.migrate()
            #expect(first == migrations)
            let second = try await database.migrate()
            #expect(second.isEmpty)
            let recorded = try await Migrator(pool: database.pool, migrations: migrations, logger: TestDatabase.logger)
                .appliedMigrations()
            #expect(recorded.map { "\($0.schema)/\($0.version)" } == migrations.map { "\($0.schema)/\($0.version)" })
            #expect(recorded.allSatisfy { $0.sha256.count == 64 })
        }
    }

    @Test("three migrators at once record each migration once")
    func concurrent() async throws {
        try await TestDatabase.withFresh { database in
            let migrations = try Self.load()
            let results = try await withThrowingTaskGroup(of: [Migration].self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        let pool = PostgresPool(
                            configuration: database.configuration(poolSize: 1), logger: TestDatabase.logger)
                        do {
                            let applied = try await Migrator(
                                pool: pool, migrations: migrations, logger: TestDatabase.logger
                            ).apply()
                            await pool.close()
                            return applied
                        } catch {
                            await pool.close()
                            throw error
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.map(\.count).reduce(0, +) == migrations.count)
            #expect(results.filter { !$0.isEmpty }.count == 1)
            let counts = try await database.pool.query(
                "SELECT count(*), count(DISTINCT (schema, version)) FROM platform.schema_migrations")
            let (total, distinct) = try #require(counts.first).decode((Int, Int).self)
            #expect(total == migrations.count && distinct == migrations.count)
        }
    }

    @Test("an applied migration whose file changed is refused, naming schema and version")
    func checksumChanged() async throws {
        try await TestDatabase.withFresh { database in
            let original = Migration(schema: "alpha", version: 1, name: "t", sql: "CREATE TABLE alpha_t (x int);")
            let migrator = Migrator(pool: database.pool, migrations: [original], logger: TestDatabase.logger)
            #expect(try await migrator.apply() == [original])
            let edited = Migration(schema: "alpha", version: 1, name: "t", sql: "CREATE TABLE alpha_t (x bigint);")
            let next = Migration(schema: "alpha", version: 2, name: "u", sql: "CREATE TABLE alpha_u (x int);")
            let error = await #expect(throws: MigrationError.self) {
                try await Migrator(pool: database.pool, migrations: [edited, next], logger: TestDatabase.logger).apply()
            }
            #expect(error?.code == .checksumMismatch)
            #expect(error?.schema == "alpha" && error?.version == 1)
            #expect(error?.description.contains("alpha/0001_t") == true)
            let tables = try await database.pool.query("SELECT to_regclass('alpha_u') IS NULL")
            #expect(try tables.first?.decode(Bool.self) == true, "nothing new is applied after a mismatch")
        }
    }

    @Test("a failing migration leaves no trace and is not recorded")
    func failing() async throws {
        try await TestDatabase.withFresh { database in
            let good = Migration(schema: "alpha", version: 1, name: "ok", sql: "CREATE TABLE alpha_ok (x int);")
            let bad = Migration(
                schema: "alpha", version: 2, name: "bad", sql: "CREATE TABLE alpha_bad (x int); SELECT 1/0;")
            let error = await #expect(throws: MigrationError.self) {
                try await Migrator(pool: database.pool, migrations: [good, bad], logger: TestDatabase.logger).apply()
            }
            #expect(error?.code == .failed && error?.version == 2)
            #expect(error?.underlying?.sqlState == "22012")
            let state = try await database.pool.query(
                """
                SELECT to_regclass('alpha_ok') IS NOT NULL, to_regclass('alpha_bad') IS NULL,
                       (SELECT count(*) FROM platform.schema_migrations)
                """)
            let (okExists, badAbsent, recorded) = try #require(state.first).decode((Bool, Bool, Int).self)
            #expect(okExists && badAbsent && recorded == 1)
        }
    }

    @Test("platform migration creates login roles and service schemas owned by them")
    func rolesAndSchemas() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let roles = try await database.pool.query(
                """
                SELECT rolname FROM pg_roles WHERE rolcanlogin AND rolname = ANY(string_to_array(\("ingest,deid,infer,notify,audit"), ','))
                ORDER BY rolname
                """)
            #expect(try roles.map { try $0.decode(String.self) } == ["audit", "deid", "infer", "ingest", "notify"])
            let owners = try await database.pool.query(
                """
                SELECT nspname, pg_get_userbyid(nspowner) FROM pg_namespace
                WHERE nspname IN ('ingest', 'deid', 'infer', 'notify') ORDER BY nspname
                """)
            for row in owners {
                let (schema, owner) = try row.decode((String, String).self)
                #expect(schema == owner)
            }
            #expect(owners.count == 4)
            let privileges = try await database.pool.query(
                """
                SELECT has_schema_privilege('ingest', 'public', 'CREATE'),
                       has_schema_privilege('infer', 'ingest', 'USAGE'),
                       has_schema_privilege('ingest', 'ingest', 'CREATE')
                """)
            let (publicCreate, foreignUsage, ownCreate) = try #require(privileges.first).decode((Bool, Bool, Bool).self)
            #expect(!publicCreate && !foreignUsage && ownCreate)
        }
    }
}
