import ServiceLifecycle
import VigilAudit
import VigilKafka
import VigilModelCore
import VigilRuntime

/// `vigil-infer`: patient state, early-warning scores (NEWS2, qSOFA, SIRS, MEWS, KDIGO) and the learned sepsis
/// model turn de-identified events into risk records on `clinical.risk.v1`. It never sees identified data: it
/// does not import VigilPHI.
public enum InferenceService: VigilService {
    public static let name = "infer"
    public static let defaultHTTPPort = 8083

    public static func services(context: ServiceContext) async throws -> [any Service] {
        let registry = ModelRegistry(pool: context.pool, audit: AuditLog(pool: context.pool))
        // The published scores start active the first time they are seen; later changes are people's.
        for model in ScoreModels.all { try await registry.register(model, kind: "rule-score", status: .active) }
        // A learned model starts in shadow: it is scored and recorded, and alerts only once a person promotes it.
        let sepsis = try SepsisModel.bundled()
        try await registry.register(sepsis.reference, kind: "tree-ensemble", card: sepsis.card, status: .shadow)
        // The foundation-model narrative is optional (VIGIL_NARRATIVE_ENDPOINT) and runs beside the stream.
        let narratives = try NarrativeWriter.make(
            environment: context.environment.values(withPrefix: "VIGIL_NARRATIVE_"), logger: context.logger
        )
            .map { writer in
                NarrativePublisher(writer: writer, pool: context.pool, logger: context.logger) { record in
                    _ = try await context.producer.send(record)
                }
            }
        let runner = StageRunner(
            configuration: StageConfiguration(
                name: "infer",
                consumer: ConsumerConfiguration(kafka: context.settings.kafka, groupID: "vigil-infer", topics: [Topics.events]),
                deadLetterTopic: Topics.deadLetter),
            producer: context.producer,
            handler: InferenceHandler(
                store: ObservationStore(pool: context.pool), registry: registry, sepsis: sepsis, narratives: narratives,
                codeVersion: context.environment.string("VIGIL_CODE_VERSION", default: "unknown"), logger: context.logger),
            logger: context.logger)
        let recordRetention = try context.environment.duration("VIGIL_INFER_RECORD_RETENTION", default: .seconds(365 * 86_400))
        guard recordRetention >= InferenceJanitor.minimumRecordRetention else {
            throw ConfigurationError(
                variable: "VIGIL_INFER_RECORD_RETENTION", problem: "must be at least 4392h (six months, AI Act Art 19/26)")
        }
        let janitor = InferenceJanitor(
            pool: context.pool,
            stateRetention: try context.environment.duration("VIGIL_INFER_STATE_RETENTION", default: .seconds(9 * 86_400)),
            recordRetention: recordRetention, logger: context.logger)
        // The oversight stop switch (notify) reaches the registry through the governance topic.
        let gates = StageRunner(
            configuration: StageConfiguration(
                name: "infer-gates",
                consumer: ConsumerConfiguration(
                    kafka: context.settings.kafka, groupID: "vigil-infer-gates", topics: [Topics.modelStatus]),
                deadLetterTopic: Topics.deadLetter),
            producer: context.producer, handler: ModelGateHandler(registry: registry), logger: context.logger)
        return [runner, gates, janitor] + (narratives.map { [$0] } ?? [])
    }
}
