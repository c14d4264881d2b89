import ServiceLifecycle
import VigilKafka
import VigilModelCore
import VigilRuntime

/// `vigil-infer`: patient state and early-warning scores (NEWS2, qSOFA, SIRS, MEWS, KDIGO) turn de-identified
/// events into risk records on `clinical.risk.v1`. It never sees identified data: it does not import VigilPHI.
public enum InferenceService: VigilService {
    public static let name = "infer"
    public static let defaultHTTPPort = 8083

    public static func services(context: ServiceContext) async throws -> [any Service] {
        let runner = StageRunner(
            configuration: StageConfiguration(
                name: "infer",
                consumer: ConsumerConfiguration(kafka: context.settings.kafka, groupID: "vigil-infer", topics: [Topics.events]),
                deadLetterTopic: Topics.deadLetter),
            producer: context.producer,
            handler: InferenceHandler(store: ObservationStore(pool: context.pool), logger: context.logger),
            logger: context.logger)
        return [runner]
    }
}
