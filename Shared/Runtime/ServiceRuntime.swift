import Foundation
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import VigilAudit
import VigilKafka
import VigilPostgres

/// What a service hands to its logic once its dependencies are up.
public struct ServiceContext: Sendable {
    public let settings: ServiceSettings
    /// The process environment, for the service's own settings (read at start-up only).
    public let environment: EnvironmentReader
    public let logger: Logger
    public let pool: PostgresPool
    public let producer: KafkaProducer
    public let admin: KafkaAdmin
    public let readiness: Readiness
}

/// One Vigil executable: its name, port, topics and long-running services.
public protocol VigilService: SendableMetatype {
    /// Short name: `ingest`, `deid`, `infer`, `notify`; also the PostgreSQL role and schema.
    static var name: String { get }
    static var defaultHTTPPort: Int { get }
    /// The service's loops (stage runners, listeners, timers), started once Kafka and PostgreSQL are up.
    static func services(context: ServiceContext) async throws -> [any Service]
    /// Histogram buckets for timers whose range is not the default 5 ms…10 s (e.g. minutes to acknowledge).
    static var durationBuckets: [String: [Duration]] { get }
}

extension VigilService {
    public static var durationBuckets: [String: [Duration]] { [:] }
}

/// The shared `main` of every executable: configuration, logging, metrics, the operations endpoints, waiting
/// for the broker and database with backoff, topic creation, then the service's own loops, all in one
/// `ServiceGroup` that shuts down gracefully on SIGTERM/SIGINT.
public enum ServiceRuntime {
    public static func main<S: VigilService>(_ service: S.Type, environment: [String: String]) async -> Int32 {
        let settings: ServiceSettings
        do {
            settings = try ServiceSettings(
                serviceName: S.name, defaultPort: S.defaultHTTPPort, environment: EnvironmentReader(environment))
        } catch {
            FileHandle.standardError.write(Data("vigil-\(S.name): \(error)\n".utf8))
            return 2
        }
        LoggingSetup.bootstrap(format: settings.logFormat, level: settings.logLevel)
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = S.durationBuckets
        MetricsSystem.bootstrap(factory)
        var logger = Logger(label: "vigil.\(S.name)")
        logger[metadataKey: "service"] = "\(S.name)"
        do {
            try await run(
                S.self, settings: settings, environment: EnvironmentReader(environment), registry: registry, logger: logger)
            logger.info("stopped")
            return 0
        } catch {
            logger.critical("service failed", metadata: ["error": "\(error)"])
            return 1
        }
    }

    static func run<S: VigilService>(
        _ service: S.Type, settings: ServiceSettings, environment: EnvironmentReader, registry: PrometheusCollectorRegistry,
        logger: Logger
    ) async throws {
        try LibrdkafkaVersion.check()
        let readiness = Readiness()
        // `services` turns true once the service's loops are added; listeners register their own checks
        // before that and set them when bound, so /ready never answers 200 before a port accepts.
        readiness.register("postgres", "kafka", "topics", "services")
        let router = OperationsServer.router(readiness: readiness, registry: registry, service: S.name)
        let http = OperationsServer.application(
            router: router, host: settings.httpHost, port: settings.httpPort, logger: logger)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [http], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        groupConfiguration.maximumGracefulShutdownDuration = settings.shutdownTimeout
        let group = ServiceGroup(configuration: groupConfiguration)
        let pool = PostgresPool(configuration: settings.postgres, logger: logger)
        logger.info("starting", metadata: ["http.port": "\(settings.httpPort)", "librdkafka": "\(LibrdkafkaVersion.current)"])

        try await withThrowingTaskGroup(of: Bool.self) { tasks in
            tasks.addTask {
                try await group.run()
                return true
            }
            tasks.addTask {
                let context = try await connect(settings: settings, environment: environment, pool: pool, readiness: readiness, logger: logger)
                await group.addServiceUnlessShutdown(ProducerService(producer: context.producer))
                for loop in try await S.services(context: context) { await group.addServiceUnlessShutdown(loop) }
                await group.addServiceUnlessShutdown(
                    PostgresProbe(pool: pool, readiness: readiness, interval: .seconds(2), logger: logger))
                readiness.set("services", true)
                logger.info("ready")
                return false
            }
            // The group ends on a signal or a failed service; stop waiting for dependencies then.
            while let groupEnded = try await tasks.next() {
                if groupEnded { tasks.cancelAll() }
            }
        }
        _ = try? await AuditLog(pool: pool).append(
            actor: "service:\(S.name)", action: "service.stop", subject: "service:\(S.name)")
        await pool.close()
    }

    /// Waits for PostgreSQL and Kafka (backoff, reported on /ready), then creates the service's topics.
    static func connect(
        settings: ServiceSettings, environment: EnvironmentReader, pool: PostgresPool, readiness: Readiness, logger: Logger
    ) async throws -> ServiceContext {
        let backoff = Backoff()
        // Waiting for the audit function also waits for `vigil migrate`: no service runs on an old schema.
        _ = try await backoff.retry("postgres", logger: logger) {
            try await AuditLog(pool: pool).append(
                actor: "service:\(settings.serviceName)", action: "service.start", subject: "service:\(settings.serviceName)",
                details: ["librdkafka": LibrdkafkaVersion.current])
        }
        readiness.set("postgres", true)
        let admin = try KafkaAdmin(configuration: settings.kafka, logger: logger)
        _ = try await backoff.retry("kafka", logger: logger) { try await admin.listTopics() }
        readiness.set("kafka", true)
        try await backoff.retry("topics", logger: logger) {
            try await admin.createTopics(
                TopicPlan.specs(for: settings.serviceName, partitions: settings.topicPartitions))
        }
        readiness.set("topics", true)
        let producer = try KafkaProducer(configuration: ProducerConfiguration(kafka: settings.kafka), logger: logger)
        return ServiceContext(
            settings: settings, environment: environment, logger: logger, pool: pool, producer: producer, admin: admin, readiness: readiness)
    }
}

/// Keeps the shared producer open while the service runs and flushes it after the loops that use it
/// stopped (the group shuts services down in reverse order of start).
struct ProducerService: Service {
    let producer: KafkaProducer

    func run() async throws {
        try? await gracefulShutdown()
        await producer.close()
    }
}
