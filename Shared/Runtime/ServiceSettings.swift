import Logging
import VigilKafka
import VigilPostgres

public enum LogFormat: String, CaseIterable, Sendable {
    case json
    case text
}

/// Settings every Vigil service reads, with their environment variables and defaults.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `VIGIL_KAFKA_BROKERS` | `127.0.0.1:19092` | bootstrap servers |
/// | `VIGIL_KAFKA_OPTIONS` | (none) | extra librdkafka properties for all clients, `key=value,key=value` |
/// | `VIGIL_KAFKA_CONSUMER_OPTIONS` | (none) | extra librdkafka properties for consumers only |
/// | `VIGIL_PG_URL` | `postgresql://vigil@127.0.0.1:55432/vigil` | PostgreSQL connection URL |
/// | `VIGIL_<SERVICE>_PG_URL` | `VIGIL_PG_URL` | the service's own URL (its login role, e.g. `ingest`) |
/// | `VIGIL_PG_POOL_SIZE` | `4` | connections per service |
/// | `VIGIL_HTTP_HOST` | `127.0.0.1` | address for /health, /ready, /metrics |
/// | `VIGIL_<SERVICE>_HTTP_PORT` | per service | port for the same |
/// | `VIGIL_LOG_LEVEL` | `info` | trace, debug, info, notice, warning, error, critical |
/// | `VIGIL_LOG_FORMAT` | `json` | `json` lines or `text` |
/// | `VIGIL_TOPIC_PARTITIONS` | `6` | partitions for topics the service creates |
/// | `VIGIL_SHUTDOWN_TIMEOUT` | `30s` | longest graceful shutdown before exiting anyway |
public struct ServiceSettings: Sendable {
    public var serviceName: String
    public var kafka: KafkaConfiguration
    public var postgres: PostgresConfiguration
    public var httpHost: String
    public var httpPort: Int
    public var logLevel: Logger.Level
    public var logFormat: LogFormat
    public var topicPartitions: Int
    public var shutdownTimeout: Duration

    public static let defaultBrokers = "127.0.0.1:19092"
    public static let defaultPostgresURL = "postgresql://vigil@127.0.0.1:55432/vigil"

    public init(serviceName: String, defaultPort: Int, environment env: EnvironmentReader) throws {
        self.serviceName = serviceName
        kafka = KafkaConfiguration(
            brokers: env.string("VIGIL_KAFKA_BROKERS", default: Self.defaultBrokers), clientID: "vigil-\(serviceName)",
            options: try Self.kafkaOptions(env, "VIGIL_KAFKA_OPTIONS"),
            consumerOptions: try Self.kafkaOptions(env, "VIGIL_KAFKA_CONSUMER_OPTIONS"))
        let sharedURL = env.string("VIGIL_PG_URL", default: Self.defaultPostgresURL)
        var postgres = PostgresConfiguration(
            connectionString: env.string("VIGIL_\(serviceName.uppercased())_PG_URL", default: sharedURL))
        postgres.poolSize = try env.int("VIGIL_PG_POOL_SIZE", default: 4, range: 1...100)
        postgres.applicationName = "vigil-\(serviceName)"
        self.postgres = postgres
        httpHost = env.string("VIGIL_HTTP_HOST", default: "127.0.0.1")
        httpPort = try env.int("VIGIL_\(serviceName.uppercased())_HTTP_PORT", default: defaultPort, range: 0...65535)
        let level = env.string("VIGIL_LOG_LEVEL", default: "info").lowercased()
        guard let parsed = Logger.Level(rawValue: level) else {
            throw ConfigurationError(
                variable: "VIGIL_LOG_LEVEL", problem: "must be one of trace, debug, info, notice, warning, error, critical, got '\(level)'")
        }
        logLevel = parsed
        logFormat = try env.choice("VIGIL_LOG_FORMAT", default: LogFormat.json)
        topicPartitions = try env.int("VIGIL_TOPIC_PARTITIONS", default: 6, range: 1...1000)
        shutdownTimeout = try env.duration("VIGIL_SHUTDOWN_TIMEOUT", default: .seconds(30))
    }

    static func kafkaOptions(_ env: EnvironmentReader, _ variable: String) throws -> [String: String] {
        guard let text = env.optionalString(variable) else { return [:] }
        do { return try KafkaConfiguration.parseOptions(text) } catch let error as KafkaError {
            throw ConfigurationError(variable: variable, problem: error.message)
        }
    }
}
