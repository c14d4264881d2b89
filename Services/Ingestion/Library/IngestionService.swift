import Hummingbird
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
/// | `VIGIL_FHIR_HOST` | `127.0.0.1` | FHIR endpoint listen address |
/// | `VIGIL_FHIR_PORT` | `8080` | FHIR endpoint port (`POST /fhir`, `POST /fhir/<Type>`) |
/// | `VIGIL_FHIR_MAX_BYTES` | `33554432` | largest FHIR body (larger: 413) |
/// | `VIGIL_FHIR_SOURCE_SYSTEM` | `fhir` | sender name when a request has no `X-Vigil-Source-System` |
/// | `VIGIL_HL7_CODE_MAP`, `VIGIL_HL7_UTC_OFFSET` | | see `HL7Mapper.Configuration.from` |
/// | `VIGIL_INGEST_LEDGER_RETENTION` | `720h` | how long message ids are remembered for dedupe (ms, s, m, h) |
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
        let fhirHost = env.string("VIGIL_FHIR_HOST", default: "127.0.0.1")
        let fhirPort = try env.int("VIGIL_FHIR_PORT", default: 8080, range: 0...65535)
        let fhirMaxBytes = try env.int("VIGIL_FHIR_MAX_BYTES", default: 32 << 20, range: 1024...(256 << 20))
        let fhirSource = env.string("VIGIL_FHIR_SOURCE_SYSTEM", default: "fhir")
        let retention = try env.duration("VIGIL_INGEST_LEDGER_RETENTION", default: .seconds(30 * 86400))
        let mapper = HL7Mapper(configuration: try .from(env))
        context.logger.info("HL7 code map loaded", metadata: ["entries": "\(mapper.configuration.codeMap.count)"])
        let ledger = DedupeLedger(pool: context.pool)
        func publisher(_ channel: String) -> IngestPublisher {
            IngestPublisher(
                producer: context.producer, ledger: ledger, source: "vigil-ingest/\(channel)", logger: context.logger)
        }
        func hl7(_ channel: String) -> HL7Intake {
            HL7Intake(mapper: mapper, publisher: publisher(channel), channel: channel)
        }
        func stage(_ name: String, topic: String, _ handler: some StageHandler) -> StageRunner {
            StageRunner(
                configuration: StageConfiguration(
                    name: name,
                    consumer: ConsumerConfiguration(kafka: context.settings.kafka, groupID: "vigil-\(name)", topics: [topic]),
                    deadLetterTopic: Topics.identifiedDeadLetter),
                producer: context.producer, handler: handler, logger: context.logger)
        }
        let readiness = context.readiness
        readiness.register("mllp", "fhir")
        let listener = MLLPServer(
            configuration: mllp,
            handler: MLLPIngestHandler(
                intake: hl7("mllp"), deadLetterTopic: Topics.identifiedDeadLetter, logger: context.logger),
            logger: context.logger, onListening: { _ in readiness.set("mllp", true) })
        let endpoint = FHIREndpoint(
            submission: FHIRSubmission(publisher: publisher("http"), channel: "http", maxBodyBytes: fhirMaxBytes),
            producer: context.producer, deadLetterTopic: Topics.identifiedDeadLetter, defaultSourceSystem: fhirSource,
            logger: context.logger)
        let fhir = Application(
            router: endpoint.router(),
            configuration: .init(address: .hostname(fhirHost, port: fhirPort), serverName: "vigil-ingest"),
            onServerRunning: { _ in readiness.set("fhir", true) }, logger: context.logger)
        let inboundFHIR = InboundFHIRHandler(
            submission: FHIRSubmission(publisher: publisher("kafka-fhir"), channel: "kafka-fhir", maxBodyBytes: fhirMaxBytes),
            defaultSourceSystem: fhirSource)
        return [
            stage("ingest-hl7", topic: Topics.inboundHL7v2, InboundHL7Handler(intake: hl7("kafka"))),
            stage("ingest-fhir", topic: Topics.inboundFHIR, inboundFHIR),
            listener, fhir,
            LedgerJanitor(ledger: ledger, retention: retention, logger: context.logger),
        ]
    }
}
