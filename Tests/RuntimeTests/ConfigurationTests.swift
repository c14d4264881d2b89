import Testing
import VigilRuntime

@Suite struct ConfigurationTests {
    @Test func defaultsApplyWhenNothingIsSet() throws {
        let settings = try ServiceSettings(serviceName: "ingest", defaultPort: 8081, environment: EnvironmentReader([:]))
        #expect(settings.kafka.brokers == ServiceSettings.defaultBrokers)
        #expect(settings.postgres.connectionString == ServiceSettings.defaultPostgresURL)
        #expect(settings.httpPort == 8081)
        #expect(settings.logFormat == .json)
        #expect(settings.logLevel == .info)
        #expect(settings.shutdownTimeout == .seconds(30))
    }

    @Test func environmentOverridesDefaults() throws {
        let env = EnvironmentReader([
            "VIGIL_KAFKA_BROKERS": "kafka:9092", "VIGIL_INGEST_HTTP_PORT": "9000", "VIGIL_LOG_FORMAT": "TEXT",
            "VIGIL_LOG_LEVEL": "debug", "VIGIL_SHUTDOWN_TIMEOUT": "1500ms",
            "VIGIL_KAFKA_CONSUMER_OPTIONS": "session.timeout.ms=6000",
            "VIGIL_PG_URL": "postgresql://vigil@db/vigil", "VIGIL_INGEST_PG_URL": "postgresql://ingest@db/vigil",
        ])
        let settings = try ServiceSettings(serviceName: "ingest", defaultPort: 8081, environment: env)
        #expect(settings.kafka.brokers == "kafka:9092")
        #expect(settings.httpPort == 9000)
        #expect(settings.logFormat == .text)
        #expect(settings.logLevel == .debug)
        #expect(settings.shutdownTimeout == .milliseconds(1500))
        #expect(settings.kafka.consumerOptions == ["session.timeout.ms": "6000"])
        #expect(settings.postgres.connectionString == "postgresql://ingest@db/vigil")
    }

    @Test(arguments: [
        ("VIGIL_INGEST_HTTP_PORT", "eighty"),
        ("VIGIL_INGEST_HTTP_PORT", "70000"),
        ("VIGIL_LOG_LEVEL", "loud"),
        ("VIGIL_LOG_FORMAT", "xml"),
        ("VIGIL_PG_POOL_SIZE", "0"),
        ("VIGIL_SHUTDOWN_TIMEOUT", "soon"),
        ("VIGIL_KAFKA_OPTIONS", "acks"),
        ("VIGIL_KAFKA_CONSUMER_OPTIONS", "=1"),
    ])
    func invalidValueNamesTheVariable(variable: String, value: String) {
        let error = #expect(throws: ConfigurationError.self) {
            try ServiceSettings(serviceName: "ingest", defaultPort: 8081, environment: EnvironmentReader([variable: value]))
        }
        #expect(error?.variable == variable)
        #expect(error?.description.contains(variable) == true)
    }

    @Test func requiredVariableMissingSaysSo() {
        let error = #expect(throws: ConfigurationError.self) { try EnvironmentReader([:]).required("VIGIL_SECRET_FILE") }
        #expect(error?.description == "configuration error: VIGIL_SECRET_FILE is required but not set")
    }

    @Test func durationsAcceptUnits() throws {
        let env = EnvironmentReader(["A": "250ms", "B": "5s", "C": "2m", "D": "3"])
        #expect(try env.duration("A", default: .zero) == .milliseconds(250))
        #expect(try env.duration("B", default: .zero) == .seconds(5))
        #expect(try env.duration("C", default: .zero) == .seconds(120))
        #expect(try env.duration("D", default: .zero) == .seconds(3))
    }
}
