import Foundation
import Metrics

/// Turns librdkafka's statistics JSON (STATISTICS.md) into metrics: local queue sizes for producers,
/// fetch queues and consumer lag per partition for consumers.
final class KafkaStatistics: Sendable {
    private let client: String

    init(client: String) {
        self.client = client
    }

    func record(_ json: UnsafeRawBufferPointer) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json)) as? [String: Any] else { return }
        let type = object["type"] as? String ?? "unknown"
        let dimensions = [("client", client), ("type", type)]
        if let queued = object["msg_cnt"] as? Int {
            Gauge(label: "vigil_kafka_queue_messages", dimensions: dimensions).record(queued)
        }
        if let replies = object["replyq"] as? Int {
            Gauge(label: "vigil_kafka_reply_queue_ops", dimensions: dimensions).record(replies)
        }
        guard type == "consumer", let topics = object["topics"] as? [String: Any] else { return }
        for (topic, value) in topics {
            guard let partitions = (value as? [String: Any])?["partitions"] as? [String: Any] else { continue }
            for (partition, stats) in partitions where partition != "-1" {
                guard let stats = stats as? [String: Any] else { continue }
                let labels = [("client", client), ("topic", topic), ("partition", partition)]
                // -1 means unknown (not assigned or no committed offset yet).
                if let lag = stats["consumer_lag"] as? Int, lag >= 0 {
                    Gauge(label: "vigil_kafka_consumer_lag", dimensions: labels).record(lag)
                }
                if let fetched = stats["fetchq_cnt"] as? Int {
                    Gauge(label: "vigil_kafka_fetch_queue_messages", dimensions: labels).record(fetched)
                }
            }
        }
    }
}
