import CRdKafka
import Foundation
import Logging
import Synchronization

/// A consumer-group member with manual offset management: the application stores the offset of each
/// fully processed record (`store`), and only stored offsets are committed (every `commitIntervalMs`,
/// on revoke and on close). Polling runs on a dedicated thread and pauses while the buffer is full.
public final class KafkaConsumer: Sendable {
    private let client: RdKafkaClient
    private let buffer: MessageBuffer
    private let poller: PollThread
    private let revokeHook = Mutex<(@Sendable ([TopicPartition]) -> Void)?>(nil)
    private let closed = Atomic<Bool>(false)
    private let logger: Logger
    let maxBatch: Int

    public init(configuration: ConsumerConfiguration, logger: Logger) throws {
        guard !configuration.topics.isEmpty else { throw KafkaError(.configuration, "consumer needs at least one topic") }
        let context = ClientContext(logger: logger, clientName: configuration.groupID)
        let client = try RdKafkaClient(kind: .consumer, properties: configuration.properties, context: context)
        self.client = client
        self.buffer = MessageBuffer(capacity: configuration.bufferCapacity)
        self.maxBatch = configuration.maxBatch
        self.logger = logger
        rd_kafka_poll_set_consumer(client.handle)
        let reader = BatchReader(client: client, buffer: buffer, maxBatch: configuration.maxBatch, logger: logger)
        self.poller = PollThread(name: "kafka-consumer-poll") { reader.pollOnce() }
        let list = rd_kafka_topic_partition_list_new(Int32(configuration.topics.count))
        defer { rd_kafka_topic_partition_list_destroy(list) }
        for topic in configuration.topics { rd_kafka_topic_partition_list_add(list, topic, RD_KAFKA_PARTITION_UA) }
        let error = rd_kafka_subscribe(client.handle, list)
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR else { throw KafkaError(.consume, rd: error, context: "subscribe failed") }

        context.onRebalance { [weak self, buffer] event in
            guard case .revoked(let partitions) = event else { return }
            buffer.discard(Set(partitions))
            self?.revokeHook.withLock { $0 }?(partitions)
            // Commit what is stored now, before another member takes over these partitions.
            rd_kafka_commit(client.handle, nil, 0)
        }
        poller.start()
    }

    deinit {
        poller.stop()
    }

    /// Called on the poll thread when partitions are revoked, before their offsets are committed: finish
    /// or abandon in-flight work for them and store what is done.
    public func onRevoke(_ hook: @escaping @Sendable ([TopicPartition]) -> Void) {
        revokeHook.withLock { $0 = hook }
    }

    /// Batches of records in partition order. One reader only.
    public var batches: KafkaBatches { KafkaBatches(buffer: buffer) }

    /// Stores `offset` — the next offset to read, i.e. last processed + 1 — for commit.
    public func store(_ partition: TopicPartition, offset: Int64) {
        let list = rd_kafka_topic_partition_list_new(1)
        defer { rd_kafka_topic_partition_list_destroy(list) }
        rd_kafka_topic_partition_list_add(list, partition.topic, partition.partition)?.pointee.offset = offset
        let error = rd_kafka_offsets_store(client.handle, list)
        // Fails for partitions no longer assigned: their records will be processed again by the new owner.
        if error != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.debug("offset not stored", metadata: ["kafka.partition": "\(partition)", "kafka.offset": "\(offset)"])
        }
    }

    /// Commits stored offsets now and waits for the broker.
    public func commit() async throws {
        let client = self.client
        let error = await runBlocking { rd_kafka_commit(client.handle, nil, 0) }
        guard error == RD_KAFKA_RESP_ERR_NO_ERROR || error == RD_KAFKA_RESP_ERR__NO_OFFSET else {
            throw KafkaError(.commit, rd: error, context: "commit failed")
        }
    }

    /// The committed offsets (next offset to read) for partitions, as the broker has them.
    public func committed(_ partitions: [TopicPartition], timeoutMs: Int32 = 5000) async throws -> [TopicPartition: Int64] {
        let client = self.client
        return try await runBlocking { () -> Result<[TopicPartition: Int64], KafkaError> in
            let list = rd_kafka_topic_partition_list_new(Int32(partitions.count))
            defer { rd_kafka_topic_partition_list_destroy(list) }
            for p in partitions { rd_kafka_topic_partition_list_add(list, p.topic, p.partition) }
            let error = rd_kafka_committed(client.handle, list, timeoutMs)
            guard error == RD_KAFKA_RESP_ERR_NO_ERROR, let list else {
                return .failure(KafkaError(.commit, rd: error, context: "committed offsets request failed"))
            }
            var result: [TopicPartition: Int64] = [:]
            for element in UnsafeBufferPointer(start: list.pointee.elems, count: Int(list.pointee.cnt)) {
                result[TopicPartition(topic: String(cString: element.topic), partition: element.partition)] = element.offset
            }
            return .success(result)
        }.get()
    }

    /// Partitions currently assigned to this member.
    public var assignment: [TopicPartition] {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(client.handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        return TopicPartition.list(list)
    }

    /// Ends `batches` (the reader gets nil) without leaving the group; `close()` follows once in-flight work
    /// is done.
    public func stopReading() {
        buffer.close()
    }

    /// Stops polling, commits stored offsets and leaves the group. Idempotent.
    public func close() async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        let (client, buffer, poller) = (self.client, self.buffer, self.poller)
        await runBlocking {
            poller.stop()
            buffer.close()
            rd_kafka_commit(client.handle, nil, 0)
            rd_kafka_consumer_close(client.handle)
        }
    }

    /// Simulates a crash (tests only): stops without committing or leaving the group, as `kill -9` would.
    package func abandon() async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        let (client, buffer, poller) = (self.client, self.buffer, self.poller)
        await runBlocking {
            poller.stop()
            buffer.close()
            client.destroyWithoutClose()
        }
    }
}

/// The async sequence of record batches from one consumer.
public struct KafkaBatches: AsyncSequence, Sendable {
    public typealias Element = [KafkaMessage]
    let buffer: MessageBuffer

    public struct AsyncIterator: AsyncIteratorProtocol {
        let buffer: MessageBuffer
        /// Cancelling the reading task ends the sequence (and stops this consumer's reading for good).
        public mutating func next() async -> [KafkaMessage]? {
            let buffer = self.buffer
            return await withTaskCancellationHandler {
                await buffer.next()
            } onCancel: {
                buffer.close()
            }
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(buffer: buffer) }
}
