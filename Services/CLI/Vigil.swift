import ArgumentParser
import Foundation
import Logging
import VigilKafka
import VigilPostgres

/// `vigil`: the operator's tool.
@main
struct Vigil: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Operate Vigil: migrate, check a deployment, verify the audit log, inspect and replay data, export evidence.",
        subcommands: [
            Migrate.self, Doctor.self, Audit.self, HL7.self, Replay.self, Alerts.self, Deid.self, Reidentify.self,
            Models.self, Eval.self, Features.self, Shadow.self, EvidenceCommand.self,
        ])
}

/// Connection options shared by commands; defaults come from the environment `make up` writes.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "PostgreSQL URL (env VIGIL_PG_URL).")
    var pgURL = ProcessInfo.processInfo.environment["VIGIL_PG_URL"] ?? "postgresql://vigil@127.0.0.1:55432/vigil"

    @Option(help: "Kafka bootstrap servers (env VIGIL_KAFKA_BROKERS).")
    var brokers = ProcessInfo.processInfo.environment["VIGIL_KAFKA_BROKERS"] ?? "127.0.0.1:19092"

    @Option(help: "Extra librdkafka properties, key=value,... (env VIGIL_KAFKA_OPTIONS).")
    var kafkaOptions = ProcessInfo.processInfo.environment["VIGIL_KAFKA_OPTIONS"] ?? ""

    @Option(help: "Extra librdkafka consumer properties (env VIGIL_KAFKA_CONSUMER_OPTIONS).")
    var kafkaConsumerOptions = ProcessInfo.processInfo.environment["VIGIL_KAFKA_CONSUMER_OPTIONS"] ?? ""

    @Flag(help: "Log debug details.") var verbose = false

    var logger: Logger {
        var logger = Logger(label: "vigil")
        logger.logLevel = verbose ? .debug : .error
        return logger
    }

    /// Runs `body` with a pool that is closed on every path.
    func withPool<T>(size: Int = 2, _ body: (PostgresPool) async throws -> T) async throws -> T {
        let configuration = PostgresConfiguration(
            connectionString: pgURL, poolSize: size, connectTimeout: .seconds(3), applicationName: "vigil-cli")
        let pool = PostgresPool(configuration: configuration, logger: logger)
        do {
            let result = try await body(pool)
            await pool.close()
            return result
        } catch {
            await pool.close()
            throw error
        }
    }

    func kafka() throws -> KafkaConfiguration {
        do {
            return KafkaConfiguration(
                brokers: brokers, clientID: "vigil-cli", options: try KafkaConfiguration.parseOptions(kafkaOptions),
                consumerOptions: try KafkaConfiguration.parseOptions(kafkaConsumerOptions), statisticsIntervalMs: 0)
        } catch let error as KafkaError {
            throw ValidationError("--kafka-options: \(error.message)")
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Apply pending database migrations (safe to run repeatedly and concurrently).")

    @OptionGroup var connection: ConnectionOptions
    @Option(help: "Folder of migrations laid out as <schema>/<NNNN>_<name>.sql.") var dir = "migrations"

    func run() async throws {
        let migrations = try Migration.load(directory: URL(fileURLWithPath: dir))
        do {
            let applied = try await connection.withPool(size: 1) { pool in
                try await Migrator(pool: pool, migrations: migrations, logger: connection.logger).apply()
            }
            if applied.isEmpty {
                print("migrations: up to date (\(migrations.count) known)")
            } else {
                for migration in applied { print("applied \(migration)") }
                print("migrations: applied \(applied.count) of \(migrations.count)")
            }
        } catch {
            throw CLIFailure("migration failed: \(error)\nIs PostgreSQL up? `make up` starts it; `vigil doctor` checks it.")
        }
    }
}

/// A failure with advice; printed without a stack of wrappers and exits 1.
struct CLIFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
