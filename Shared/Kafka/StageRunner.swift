import Logging
import Metrics
import ServiceLifecycle

/// What a stage does with one input record.
public enum StageOutcome: Sendable, Equatable {
    /// Produce these records (possibly none); the input counts as done once all are acknowledged.
    case produce([OutboundRecord])
    /// The record can never be processed: send it to the dead-letter topic with a reason code.
    case deadLetter(DeadLetterReason)
}

/// Why a record was dead-lettered. `code` is a stable machine-readable token (`hl7.parse`,
/// `schema.version`); `detail` is a short human text that must not contain PHI.
public struct DeadLetterReason: Sendable, Equatable {
    public var code: String
    public var detail: String

    public init(code: String, detail: String) {
        self.code = code
        self.detail = detail
    }
}

/// A service's per-batch logic. Returns one outcome per input, in order. Throw only for transient
/// failures (database unavailable): the runner retries the whole batch with backoff and reads no further.
public protocol StageHandler: Sendable {
    func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome]
}

public struct StageConfiguration: Sendable {
    /// Names the stage in logs and metrics (`ingest`, `deid`, ...).
    public var name: String
    public var consumer: ConsumerConfiguration
    public var deadLetterTopic: String
    /// Input records whose outputs are not acknowledged yet; reading pauses above it. Default 10,000.
    public var maxInFlight: Int
    /// Backoff between retries of a batch whose handler failed transiently. Default 100 ms doubling to 5 s.
    public var retryInitial: Duration
    public var retryMax: Duration

    public init(
        name: String, consumer: ConsumerConfiguration, deadLetterTopic: String, maxInFlight: Int = 10_000,
        retryInitial: Duration = .milliseconds(100), retryMax: Duration = .seconds(5)
    ) {
        self.name = name
        self.consumer = consumer
        self.deadLetterTopic = deadLetterTopic
        self.maxInFlight = maxInFlight
        self.retryInitial = retryInitial
        self.retryMax = retryMax
    }
}

/// consume → handle → produce → store offset, for every service. An input's offset is stored only after
/// all of its outputs (or its dead letter) were acknowledged by the broker, so a crash at any point
/// replays, never loses. On graceful shutdown it stops reading, waits for in-flight deliveries, commits
/// and leaves the group.
public final class StageRunner: Service {
    private let configuration: StageConfiguration
    private let producer: KafkaProducer
    private let handler: any StageHandler
    private let logger: Logger

    public init(configuration: StageConfiguration, producer: KafkaProducer, handler: any StageHandler, logger: Logger) {
        self.configuration = configuration
        self.producer = producer
        self.handler = handler
        var logger = logger
        logger[metadataKey: "stage"] = "\(configuration.name)"
        self.logger = logger
    }

    public func run() async throws {
        let consumer = try KafkaConsumer(configuration: configuration.consumer, logger: logger)
        let state = StageState(maxInFlight: configuration.maxInFlight)
        consumer.onRevoke { partitions in state.drain(partitions, timeout: .seconds(10)) }
        try await withGracefulShutdownHandler {
            for await batch in consumer.batches {
                guard state.failure == nil, let outcomes = await handleWithRetry(batch) else { break }
                await state.acquire(batch.count)
                for (message, outcome) in zip(batch, outcomes) {
                    try await dispatch(message, outcome, state: state, consumer: consumer)
                }
            }
        } onGracefulShutdown: {
            consumer.stopReading()
        }
        logger.info("stage stopping: waiting for in-flight deliveries")
        await state.waitUntilIdle()
        await consumer.close()
        if let failure = state.failure { throw failure }
    }

    private func dispatch(
        _ message: KafkaMessage, _ outcome: StageOutcome, state: StageState, consumer: KafkaConsumer
    ) async throws {
        let records: [OutboundRecord]
        switch outcome {
        case .produce(let outputs):
            records = outputs
            Counter(label: "vigil_stage_records_total", dimensions: [("stage", configuration.name), ("outcome", "ok")])
                .increment()
        case .deadLetter(let reason):
            records = [DeadLetter.record(for: message, reason: reason, stage: configuration.name, topic: configuration.deadLetterTopic)]
            Counter(label: "vigil_deadletters_total", dimensions: [("stage", configuration.name), ("reason", reason.code)])
                .increment()
            logger.warning(
                "record dead-lettered",
                metadata: ["kafka.topic": "\(message.topic)", "kafka.partition": "\(message.partition)",
                    "kafka.offset": "\(message.offset)", "reason": "\(reason.code)"])
        }
        let partition = TopicPartition(topic: message.topic, partition: message.partition)
        state.begin(partition, offset: message.offset)
        await producer.enqueue(records) { result in
            switch result {
            case .success:
                if case .store(let partition, let offset) = state.complete(partition, offset: message.offset) {
                    consumer.store(partition, offset: offset)
                }
            case .failure(let error):
                state.fail(error)
            }
        }
    }

    /// Runs the handler until it succeeds; nil when shutdown interrupts the retries.
    private func handleWithRetry(_ batch: [KafkaMessage]) async -> [StageOutcome]? {
        var delay = configuration.retryInitial
        while true {
            do {
                let outcomes = try await handler.handle(batch)
                precondition(outcomes.count == batch.count, "stage handler must return one outcome per record")
                return outcomes
            } catch {
                Counter(label: "vigil_stage_retries_total", dimensions: [("stage", configuration.name)]).increment()
                logger.warning("handler failed, retrying batch", metadata: ["error": "\(error)", "retry.delay": "\(delay)"])
                do { try await Task.sleep(for: delay) } catch { return nil }
                if Task.isShuttingDownGracefully { return nil }
                delay = min(delay * 2, configuration.retryMax)
            }
        }
    }
}
