import CRdKafka
import Foundation
import Logging
import Metrics
import Synchronization

/// One librdkafka producer handle with its topic handles.
final class ProducerInstance: Sendable {
    let client: RdKafkaClient
    let topics: TopicHandles

    init(properties: [String: String], context: ClientContext) throws {
        client = try RdKafkaClient(kind: .producer, properties: properties, context: context)
        topics = TopicHandles(client: client)
    }

    var hasFatalError: Bool { rd_kafka_fatal_error(client.handle, nil, 0) != RD_KAFKA_RESP_ERR_NO_ERROR }

    /// librdkafka's description of its fatal error, if it has one.
    var fatalReason: String? {
        var text = [CChar](repeating: 0, count: 512)
        let code = rd_kafka_fatal_error(client.handle, &text, text.count)
        guard code != RD_KAFKA_RESP_ERR_NO_ERROR else { return nil }
        return "\(String(cString: rd_kafka_err2name(code))): \(cText(text))"
    }
}

/// The producer's current instance, replaced after a fatal error. The old one is retired on its own
/// thread: what it still holds is purged, which fails those records' deliveries, and then destroyed.
final class ProducerInstances: Sendable {
    private let properties: [String: String]
    private let context: ClientContext
    private let logger: Logger
    private let instance: Mutex<ProducerInstance>

    init(properties: [String: String], context: ClientContext, logger: Logger) throws {
        self.properties = properties
        self.context = context
        self.logger = logger
        instance = Mutex(try ProducerInstance(properties: properties, context: context))
    }

    var current: ProducerInstance { instance.withLock { $0 } }

    /// Replaces `failed` unless another caller already did.
    func replace(_ failed: ProducerInstance) throws(KafkaError) {
        let retired: ProducerInstance? = try instance.withLock { (current) throws(KafkaError) -> ProducerInstance? in
            guard current === failed else { return nil }
            do {
                current = try ProducerInstance(properties: properties, context: context)
            } catch let error as KafkaError {
                throw error
            } catch {
                throw KafkaError(.clientCreation, "\(error)")
            }
            return failed
        }
        guard let retired else { return }
        Counter(label: "vigil_kafka_producer_fatal_total").increment()
        logger.error(
            "kafka producer hit a fatal error; replaced with a new instance",
            metadata: ["error": "\(retired.fatalReason ?? "unknown")"])
        let thread = Thread {
            rd_kafka_purge(retired.client.handle, Int32(RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT))
            _ = rd_kafka_flush(retired.client.handle, 5000)
            withExtendedLifetime(retired) {}
        }
        thread.name = "kafka-producer-retire"
        thread.start()
    }
}
