import ArgumentParser
import Foundation
import VigilAudit
import VigilKafka
import VigilPostgres

/// `vigil doctor`: checks a deployment end to end and says what to do about each failure.
struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check librdkafka, the broker (with a message round trip), PostgreSQL, migrations and the audit chain.")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Folder of migrations to compare with what the database has applied.") var dir = "migrations"

    func run() async throws {
        var failures = 0
        func report(_ name: String, _ check: () async throws -> String, advice: String) async {
            let start = ContinuousClock.now
            do {
                let detail = try await check()
                let ms = (ContinuousClock.now - start).components.attoseconds / 1_000_000_000_000_000
                    + (ContinuousClock.now - start).components.seconds * 1000
                print("✓ \(name): \(detail) (\(ms) ms)")
            } catch {
                failures += 1
                print("✗ \(name): \(error)\n  → \(advice)")
            }
        }
        await report("librdkafka", { try LibrdkafkaVersion.check(); return LibrdkafkaVersion.current },
            advice: "run `make up` and `source .vigil/env` (puts the newer librdkafka on LD_LIBRARY_PATH)")
        let kafka = try connection.kafka()
        await report("kafka broker", {
            let topics = try await KafkaAdmin(configuration: kafka, logger: connection.logger).listTopics()
            return "\(kafka.brokers), \(topics.count) topics"
        }, advice: "start the broker (`make up`) or set VIGIL_KAFKA_BROKERS")
        await report("kafka round trip", { try await RoundTrip(kafka: kafka, logger: connection.logger).run() },
            advice: "the broker accepts connections but not produce/consume; check its log (.vigil/broker.log)")
        await report("postgresql", {
            try await connection.withPool(size: 1) { pool in
                let rows = try await pool.query("SELECT current_setting('server_version')")
                return "version \(try rows.first?.decode(String.self, at: 0) ?? "?")"
            }
        }, advice: "start PostgreSQL (`make up`) or set VIGIL_PG_URL")
        await report("migrations", {
            let files = try Migration.load(directory: URL(fileURLWithPath: dir))
            let applied = try await connection.withPool(size: 1) { pool in
                try await Migrator(pool: pool, migrations: files, logger: connection.logger).appliedMigrations()
            }
            let pending = files.count - applied.count
            guard pending <= 0 else { throw CLIFailure("\(pending) of \(files.count) not applied") }
            return "\(applied.count) applied, none pending"
        }, advice: "run `vigil migrate`")
        await report("audit chain", {
            let result = try await connection.withPool(size: 1) { pool in try await AuditVerifier.verify(pool) }
            switch result {
            case .intact(let rows, _): return "intact, \(rows) entries"
            case .broken(let link): throw CLIFailure("\(link)")
            }
        }, advice: "run `vigil audit verify` for details; a broken chain means the log was altered")
        if failures > 0 { throw ExitCode(1) }
    }
}
