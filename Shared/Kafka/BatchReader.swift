import CRdKafka
import Logging

/// The consumer poll thread's work: wait for buffer room, poll a batch, copy it into Swift values.
///
/// `@unchecked Sendable`: used only from the poll thread after creation (the topic-name cache is not
/// shared).
final class BatchReader: @unchecked Sendable {
    private let client: RdKafkaClient
    private let buffer: MessageBuffer
    private let maxBatch: Int
    private let logger: Logger
    private var topicNames: [OpaquePointer: String] = [:]
    private let queue: OpaquePointer
    private let pointers: UnsafeMutableBufferPointer<UnsafeMutablePointer<rd_kafka_message_t>?>

    init(client: RdKafkaClient, buffer: MessageBuffer, maxBatch: Int, logger: Logger) {
        self.client = client
        self.buffer = buffer
        self.maxBatch = maxBatch
        self.logger = logger
        // The consumer queue, after rd_kafka_poll_set_consumer: the same records consumer_poll returns.
        self.queue = rd_kafka_queue_get_consumer(client.handle)
        self.pointers = .allocate(capacity: maxBatch)
        pointers.initialize(repeating: nil)
    }

    deinit {
        rd_kafka_queue_destroy(queue)
        pointers.deallocate()
    }

    func pollOnce() {
        let hasSpace = buffer.waitForSpace(timeout: 0.1)
        if !hasSpace {
            // Full: pause fetching, but keep calling consumer_poll so rebalances and the group heartbeat are
            // served. (rd_kafka_poll on a consumer's forwarded queue hits librdkafka's "op not handled"
            // assertion when a fetched record is queued.) Records fetched before the pause are dropped by
            // librdkafka as outdated and fetched again after the resume: nothing is lost.
            setPaused(true)
        } else if paused {
            setPaused(false)
        }
        // Block for the first record only, then take what is already fetched: low latency and batching.
        guard let first = rd_kafka_consumer_poll(client.handle, 100) else { return }
        pointers[0] = first
        let more = rd_kafka_consume_batch_queue(queue, 0, pointers.baseAddress! + 1, pointers.count - 1)
        let count = 1 + max(0, more)
        var batch: [KafkaMessage] = []
        batch.reserveCapacity(count)
        for index in 0..<count {
            guard let message = pointers[index] else { continue }
            defer { rd_kafka_message_destroy(message) }
            let error = message.pointee.err
            if error == RD_KAFKA_RESP_ERR_NO_ERROR {
                batch.append(convert(message))
            } else if error != RD_KAFKA_RESP_ERR__PARTITION_EOF {
                logger.warning("consume error", metadata: ["kafka.error": "\(String(cString: rd_kafka_err2str(error)))"])
            }
        }
        buffer.push(batch)
    }

    /// The number of partitions paused, nil while fetching.
    private var pausedCount: Int32?
    private var paused: Bool { pausedCount != nil }

    /// Pauses or resumes every assigned partition; pausing again when the assignment grew since.
    private func setPaused(_ pause: Bool) {
        var list: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?
        guard rd_kafka_assignment(client.handle, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return }
        defer { rd_kafka_topic_partition_list_destroy(list) }
        if pause {
            guard pausedCount != list.pointee.cnt else { return }
            _ = rd_kafka_pause_partitions(client.handle, list)
            pausedCount = list.pointee.cnt
        } else {
            _ = rd_kafka_resume_partitions(client.handle, list)
            pausedCount = nil
        }
    }

    private func convert(_ message: UnsafeMutablePointer<rd_kafka_message_t>) -> KafkaMessage {
        let m = message.pointee
        let topic = topicName(m.rkt)
        let value = m.payload.map { Array(UnsafeRawBufferPointer(start: $0, count: m.len)) } ?? []
        let key = m.key.map { Array(UnsafeRawBufferPointer(start: $0, count: m.key_len)) }
        var timestampType = RD_KAFKA_TIMESTAMP_NOT_AVAILABLE
        let timestamp = rd_kafka_message_timestamp(message, &timestampType)
        return KafkaMessage(
            topic: topic, partition: m.partition, offset: m.offset, key: key, value: value,
            headers: headers(of: message), timestamp: timestamp >= 0 ? timestamp : nil)
    }

    private func topicName(_ handle: OpaquePointer?) -> String {
        guard let handle else { return "" }
        if let name = topicNames[handle] { return name }
        let name = String(cString: rd_kafka_topic_name(handle))
        topicNames[handle] = name
        return name
    }

    private func headers(of message: UnsafeMutablePointer<rd_kafka_message_t>) -> [KafkaHeader] {
        var list: OpaquePointer?
        guard rd_kafka_message_headers(message, &list) == RD_KAFKA_RESP_ERR_NO_ERROR, let list else { return [] }
        let count = rd_kafka_header_cnt(list)
        var result: [KafkaHeader] = []
        result.reserveCapacity(count)
        for index in 0..<count {
            var name: UnsafePointer<CChar>?
            var value: UnsafeRawPointer?
            var size = 0
            guard rd_kafka_header_get_all(list, index, &name, &value, &size) == RD_KAFKA_RESP_ERR_NO_ERROR,
                let name
            else { continue }
            let bytes = value.map { Array(UnsafeRawBufferPointer(start: $0, count: size)) }
            result.append(KafkaHeader(key: String(cString: name), value: bytes))
        }
        return result
    }
}
