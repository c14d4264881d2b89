/// The dead-letter record for an input: original key, bytes and headers, plus why and where it came from.
/// Header names are stable for tools that read the dead-letter topic.
public enum DeadLetter {
    public static let reasonHeader = "vigil-dlq-reason"
    public static let detailHeader = "vigil-dlq-detail"
    public static let stageHeader = "vigil-dlq-stage"
    public static let sourceTopicHeader = "vigil-dlq-source-topic"
    public static let sourcePartitionHeader = "vigil-dlq-source-partition"
    public static let sourceOffsetHeader = "vigil-dlq-source-offset"

    public static func record(for message: KafkaMessage, reason: DeadLetterReason, stage: String, topic: String)
        -> OutboundRecord
    {
        let headers =
            message.headers + [
                KafkaHeader(key: reasonHeader, text: reason.code),
                KafkaHeader(key: detailHeader, text: reason.detail),
                KafkaHeader(key: stageHeader, text: stage),
                KafkaHeader(key: sourceTopicHeader, text: message.topic),
                KafkaHeader(key: sourcePartitionHeader, text: String(message.partition)),
                KafkaHeader(key: sourceOffsetHeader, text: String(message.offset)),
            ]
        return OutboundRecord(topic: topic, key: message.key, value: message.value, headers: headers)
    }
}
