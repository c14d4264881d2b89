import ServiceLifecycle
import VigilKafka
import VigilModelCore
import VigilRuntime

/// `vigil-ingest`: HL7 v2 over MLLP, FHIR R4 over HTTP and inbound topics become canonical events on
/// `clinical.events.identified.v1` (PHI zone).
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `VIGIL_MLLP_HOST` | `127.0.0.1` | MLLP listen address (`0.0.0.0` for remote senders) |
/// | `VIGIL_MLLP_PORT` | `2575` | MLLP port |
/// | `VIGIL_MLLP_MAX_BYTES` | `1048576` | largest message accepted (larger: AR `too_large`) |
/// | `VIGIL_MLLP_IDLE_TIMEOUT` | `300s` | idle connections are closed |
/// | `VIGIL_INGEST_LEDGER_RETENTION` | `30d` (in s/m/h) | how long message ids are remembered for dedupe |
public enum IngestionService: VigilService {
    public static let name = "ingest"
    public static let defaultHTTPPort = 8081

    public static func services(context: ServiceContext) async throws -> [any Service] {
        let env = context.environment
        let mllp = MLLPConfiguration(
            host: env.string("VIGIL_MLLP_HOST", default: "127.0.0.1"),
            port: try env.int("VIGIL_MLLP_PORT", default: 2575, range: 0...65535),
            maxMessageBytes: try env.int("VIGIL_MLLP_MAX_BYTES", default: 1 << 20, range: 1024...(64 << 20)),
            idleTimeout: try env.duration("VIGIL_MLLP_IDLE_TIMEOUT", default: .seconds(300)))
        let retention = try env.duration("VIGIL_INGEST_LEDGER_RETENTION", default: .seconds(30 * 86400))
        let ledger = DedupeLedger(pool: context.pool)
        func intake(_ channel: String) -> HL7Intake {
            HL7Intake(
                mapper: HL7Mapper(),
                publisher: IngestPublisher(
                    producer: context.producer, ledger: ledger, source: "vigil-ingest/\(channel)", logger: context.logger),
                channel: channel)
        }
        let inbound = StageRunner(
            configuration: StageConfiguration(
                name: "ingest-hl7",
                consumer: ConsumerConfiguration(
                    kafka: context.settings.kafka, groupID: "vigil-ingest-hl7", topics: [Topics.inboundHL7v2]),
                deadLetterTopic: Topics.identifiedDeadLetter),
            producer: context.producer, handler: InboundHL7Handler(intake: intake("kafka")), logger: context.logger)
        let listener = MLLPServer(
            configuration: mllp,
            handler: MLLPIngestHandler(
                intake: intake("mllp"), deadLetterTopic: Topics.identifiedDeadLetter, logger: context.logger),
            logger: context.logger)
        return [inbound, listener, LedgerJanitor(ledger: ledger, retention: retention, logger: context.logger)]
    }
}
