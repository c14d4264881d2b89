import CRdKafka

/// An error from the Kafka layer. The description carries librdkafka's text, which names topics, brokers
/// and settings but never message keys or payloads.
public struct KafkaError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case configuration
        case libraryVersion
        case clientCreation
        case produce
        case delivery
        case consume
        case commit
        case admin
        case timeout
        case closed
    }

    public var code: Code
    /// librdkafka's `rd_kafka_resp_err_t`, when the error came from it.
    public var rdError: Int32?
    public var message: String

    public init(_ code: Code, _ message: String, rdError: Int32? = nil) {
        self.code = code
        self.message = message
        self.rdError = rdError
    }

    init(_ code: Code, rd: rd_kafka_resp_err_t, context: String) {
        self.init(code, "\(context): \(String(cString: rd_kafka_err2str(rd)))", rdError: rd.rawValue)
    }

    public var description: String { "kafka \(code.rawValue) error: \(message)" }

    /// True when retrying the same operation later can succeed (broker down, queue full, timeouts).
    public var isRetriable: Bool {
        guard let rdError else { return code == .timeout }
        let retriable: [rd_kafka_resp_err_t] = [
            RD_KAFKA_RESP_ERR__TRANSPORT, RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN, RD_KAFKA_RESP_ERR__TIMED_OUT,
            RD_KAFKA_RESP_ERR__MSG_TIMED_OUT, RD_KAFKA_RESP_ERR__QUEUE_FULL, RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
            RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION, RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE,
            RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS, RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART,
        ]
        return retriable.contains { $0.rawValue == rdError }
    }
}
