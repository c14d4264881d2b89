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

/// A service's per-batch logic. Returns one outcome per input, in order. Throwing means the batch could not be
/// handled now; what the runner does depends on `StageFailure(classifying:)`. A transient failure (database
/// unavailable) retries the batch with backoff and reads no further. A permanent one (a constraint violation,
/// data a column refuses) makes the runner hand the batch's records to the handler one at a time, in order, so
/// the good ones go through and only a record that keeps failing on its own is dead-lettered with reason
/// `stage.handler_failed`. A handler must therefore accept any split of a batch, and a record handled twice
/// (as after a crash).
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
    /// Backoff between retries of a batch or record whose handler failed. Default 100 ms doubling to 5 s.
    public var retryInitial: Duration
    public var retryMax: Duration
    /// Transient failures of a batch in a row after which its first record is handled on its own before the
    /// rest are tried together again, so a record whose error does not classify itself holds back only the
    /// records after it. Default 5 (about 1.5 s with the default backoff).
    public var isolateAfter: Int
    /// Permanent failures of one record, handled on its own, after which it is dead-lettered. Default 3.
    public var deadLetterAfter: Int

    public init(
        name: String, consumer: ConsumerConfiguration, deadLetterTopic: String, maxInFlight: Int = 10_000,
        retryInitial: Duration = .milliseconds(100), retryMax: Duration = .seconds(5), isolateAfter: Int = 5,
        deadLetterAfter: Int = 3
    ) {
        self.name = name
        self.consumer = consumer
        self.deadLetterTopic = deadLetterTopic
        self.maxInFlight = maxInFlight
        self.retryInitial = retryInitial
        self.retryMax = retryMax
        self.isolateAfter = isolateAfter
        self.deadLetterAfter = deadLetterAfter
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

    /// The dead-letter reason code of a record the handler keeps failing on with a permanent error.
    public static let handlerFailedReason = "stage.handler_failed"

    /// One outcome per record, or nil when shutdown interrupts the retries. The batch goes to the handler as a
    /// whole; when that fails for good (`BatchRetry`), its records go one at a time (`handleAlone`), in order:
    /// after a permanent failure until a record is dead-lettered, after repeated transient ones for the first
    /// record only (once it passes, the outage is likely over). Then the rest is tried as a whole again, so a
    /// handler that groups records (inference scores a message's results together) splits as few as possible.
    private func handleWithRetry(_ batch: [KafkaMessage]) async -> [StageOutcome]? {
        var outcomes: [StageOutcome] = []
        outcomes.reserveCapacity(batch.count)
        var rest = batch[...]
        var oneByOne = false
        while let first = rest.first {
            if rest.count > 1 && !oneByOne {
                switch await handleTogether(Array(rest)) {
                case .handled(let tail): return outcomes + tail
                case .isolate(let failure): oneByOne = failure.isPermanent
                case .stopped: return nil
                }
            }
            guard let alone = await handleAlone(first) else { return nil }
            outcomes.append(alone.outcome)
            rest = rest.dropFirst()
            // The record that failed the batch is found: the others may well pass together.
            if alone.deadLettered { oneByOne = false }
        }
        return outcomes
    }

    private enum Together {
        case handled([StageOutcome])
        case isolate(StageFailure)
        case stopped
    }

    /// The handler's outcomes for `records` as a whole, retried while `BatchRetry` says so.
    private func handleTogether(_ records: [KafkaMessage]) async -> Together {
        var retry = BatchRetry(configuration: configuration)
        while true {
            let failure: StageFailure
            do {
                return .handled(try await handle(records))
            } catch {
                failure = failed(error, records: records.count)
            }
            switch retry.failed(failure) {
            case .retry(let delay):
                guard await pause(delay) else { return .stopped }
            case .isolate:
                Counter(label: "vigil_stage_isolations_total", dimensions: [("stage", configuration.name)]).increment()
                logger.warning("handling records one at a time", metadata: ["batch.size": "\(records.count)"])
                return .isolate(failure)
            }
        }
    }

    /// The handler's outcome for one record, retried until it succeeds, or a dead letter once it failed
    /// permanently `deadLetterAfter` times. nil when shutdown interrupts the retries.
    private func handleAlone(_ message: KafkaMessage) async -> (outcome: StageOutcome, deadLettered: Bool)? {
        var retry = RecordRetry(configuration: configuration)
        while true {
            let failure: StageFailure
            do {
                return (try await handle([message])[0], false)
            } catch {
                failure = failed(error, records: 1)
            }
            switch retry.failed(failure) {
            case .retry(let delay):
                guard await pause(delay) else { return nil }
            case .deadLetter(let kind):
                logger.warning(
                    "record failed permanently on its own, dead-lettering",
                    metadata: [
                        "kafka.topic": "\(message.topic)", "kafka.partition": "\(message.partition)",
                        "kafka.offset": "\(message.offset)", "error.kind": "\(kind)",
                    ])
                // The kind only: an error's text can quote row values.
                return (.deadLetter(DeadLetterReason(code: Self.handlerFailedReason, detail: kind)), true)
            }
        }
    }

    private func handle(_ input: [KafkaMessage]) async throws -> [StageOutcome] {
        let outcomes = try await handler.handle(input)
        precondition(outcomes.count == input.count, "stage handler must return one outcome per record")
        return outcomes
    }

    /// Logs a handler failure. A transient error's description is logged as before (connection
    /// errors name hosts, not patients); a permanent one is named by its kind only.
    private func failed(_ error: any Error, records: Int) -> StageFailure {
        let failure = StageFailure(classifying: error)
        switch failure {
        case .transient:
            logger.warning(
                "handler failed transiently, retrying",
                metadata: ["error": "\(error)", "batch.size": "\(records)"])
        case .permanent(let kind):
            logger.warning(
                "handler failed permanently", metadata: ["error.kind": "\(kind)", "batch.size": "\(records)"])
        }
        return failure
    }

    /// Counts a retry and sleeps before it; false when shutdown began.
    private func pause(_ delay: Duration) async -> Bool {
        Counter(label: "vigil_stage_retries_total", dimensions: [("stage", configuration.name)]).increment()
        do { try await Task.sleep(for: delay) } catch { return false }
        return !Task.isShuttingDownGracefully
    }
}
