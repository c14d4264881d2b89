import CRdKafka
import Logging

/// Topic administration: idempotent creation and listing.
public final class KafkaAdmin: Sendable {
    private let client: RdKafkaClient
    private let poller: PollThread

    public init(configuration: KafkaConfiguration, logger: Logger) throws {
        var kafka = configuration
        kafka.statisticsIntervalMs = 0
        let context = ClientContext(logger: logger, clientName: configuration.clientID + "-admin")
        let client = try RdKafkaClient(kind: .producer, properties: kafka.properties([:]), context: context)
        self.client = client
        self.poller = PollThread(name: "kafka-admin-poll") { client.poll(timeoutMs: 100) }
        poller.start()
    }

    deinit {
        poller.stop()
    }

    public struct TopicSpec: Sendable {
        public var name: String
        public var partitions: Int
        public var replicationFactor: Int
        public var config: [String: String]

        public init(name: String, partitions: Int, replicationFactor: Int = -1, config: [String: String] = [:]) {
            self.name = name
            self.partitions = partitions
            self.replicationFactor = replicationFactor
            self.config = config
        }
    }

    /// Creates topics that do not exist yet; existing ones are left as they are.
    public func createTopics(_ specs: [TopicSpec], timeout: Duration = .seconds(10)) async throws {
        let client = self.client
        let ms = Int32(timeout.components.seconds * 1000)
        try await runBlocking { () -> Result<Void, KafkaError> in
            Result { try Self.create(specs, client: client, timeoutMs: ms) }.mapError { $0 as! KafkaError }
        }.get()
    }

    /// Names of all topics in the cluster.
    public func listTopics(timeout: Duration = .seconds(5)) async throws -> [String] {
        let client = self.client
        let ms = Int32(timeout.components.seconds * 1000)
        return try await runBlocking { () -> Result<[String], KafkaError> in
            Result { try client.topicNames(timeoutMs: ms) }.mapError { $0 as! KafkaError }
        }.get()
    }

    private static func create(_ specs: [TopicSpec], client: RdKafkaClient, timeoutMs: Int32) throws {
        var errorText = [CChar](repeating: 0, count: 512)
        var newTopics: [OpaquePointer?] = []
        defer { newTopics.forEach { rd_kafka_NewTopic_destroy($0) } }
        for spec in specs {
            guard let topic = rd_kafka_NewTopic_new(
                spec.name, Int32(spec.partitions), Int32(spec.replicationFactor), &errorText, errorText.count)
            else { throw KafkaError(.admin, "topic \(spec.name): \(cText(errorText))") }
            newTopics.append(topic)
            for (key, value) in spec.config { rd_kafka_NewTopic_set_config(topic, key, value) }
        }
        let queue = rd_kafka_queue_new(client.handle)
        defer { rd_kafka_queue_destroy(queue) }
        let options = rd_kafka_AdminOptions_new(client.handle, RD_KAFKA_ADMIN_OP_CREATETOPICS)
        defer { rd_kafka_AdminOptions_destroy(options) }
        rd_kafka_AdminOptions_set_operation_timeout(options, timeoutMs, &errorText, errorText.count)
        newTopics.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_CreateTopics(client.handle, buffer.baseAddress, buffer.count, options, queue)
        }
        guard let event = rd_kafka_queue_poll(queue, timeoutMs + 2000) else {
            throw KafkaError(.timeout, "create topics timed out")
        }
        defer { rd_kafka_event_destroy(event) }
        let eventError = rd_kafka_event_error(event)
        guard eventError == RD_KAFKA_RESP_ERR_NO_ERROR else {
            throw KafkaError(.admin, rd: eventError, context: "create topics failed")
        }
        var count = 0
        guard let result = rd_kafka_event_CreateTopics_result(event),
            let topics = rd_kafka_CreateTopics_result_topics(result, &count)
        else { return }
        for index in 0..<count {
            let error = rd_kafka_topic_result_error(topics[index])
            if error == RD_KAFKA_RESP_ERR_NO_ERROR || error == RD_KAFKA_RESP_ERR_TOPIC_ALREADY_EXISTS { continue }
            let name = String(cString: rd_kafka_topic_result_name(topics[index]))
            throw KafkaError(.admin, rd: error, context: "create topic \(name) failed")
        }
    }
}
