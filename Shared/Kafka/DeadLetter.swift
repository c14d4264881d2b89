/// The dead-letter record for an input: original key, bytes and headers, plus why and where it came from.
/// Header names are stable for tools that read the dead-letter topic.
public enum DeadLetter {
    public static let reasonHeader = "vigil-dlq-reason"
    public static let detailHeader = "vigil-dlq-detail"
    public static let stageHeader = "vigil-dlq-stage"
    public static let sourceHeader = "vigil-dlq-source"
    public static let sourceTopicHeader = "vigil-dlq-source-topic"
    public static let sourcePartitionHeader = "vigil-dlq-source-partition"
    public static let sourceOffsetHeader = "vigil-dlq-source-offset"

    /// For a record read from Kafka.
    public static func record(for message: KafkaMessage, reason: DeadLetterReason, stage: String, topic: String)
        -> OutboundRecord
    {
        record(
            key: message.key, value: message.value, headers: message.headers, reason: reason, stage: stage,
            topic: topic,
            origin: [
                KafkaHeader(key: sourceTopicHeader, text: message.topic),
                KafkaHeader(key: sourcePartitionHeader, text: String(message.partition)),
                KafkaHeader(key: sourceOffsetHeader, text: String(message.offset)),
            ])
    }

    /// For input that arrived another way (MLLP, HTTP): `source` names the channel, e.g. `mllp`.
    public static func record(
        key: [UInt8]?, value: [UInt8], reason: DeadLetterReason, stage: String, topic: String, source: String
    ) -> OutboundRecord {
        record(
            key: key, value: value, headers: [], reason: reason, stage: stage, topic: topic,
            origin: [KafkaHeader(key: sourceHeader, text: source)])
    }

    private static func record(
        key: [UInt8]?, value: [UInt8], headers: [KafkaHeader], reason: DeadLetterReason, stage: String,
        topic: String, origin: [KafkaHeader]
    ) -> OutboundRecord {
        let added = [
            KafkaHeader(key: reasonHeader, text: reason.code),
            KafkaHeader(key: detailHeader, text: reason.detail),
            KafkaHeader(key: stageHeader, text: stage),
        ]
        return OutboundRecord(topic: topic, key: key, value: value, headers: headers + added + origin)
    }
}
