import Foundation

/// Connection settings shared by producers, consumers and the admin client.
public struct KafkaConfiguration: Sendable {
    /// `bootstrap.servers`, e.g. `127.0.0.1:19092`.
    public var brokers: String
    /// `client.id`, shown in broker logs.
    public var clientID: String
    /// Extra librdkafka properties for every client (security, timeouts); they win over defaults.
    public var options: [String: String]
    /// Extra librdkafka properties for consumers only (group timeouts, fetch waits).
    public var consumerOptions: [String: String]
    /// How often librdkafka reports statistics into metrics; 0 turns statistics off. Default 5 s.
    public var statisticsIntervalMs: Int

    public init(
        brokers: String, clientID: String = "vigil", options: [String: String] = [:],
        consumerOptions: [String: String] = [:], statisticsIntervalMs: Int = 5000
    ) {
        self.brokers = brokers
        self.clientID = clientID
        self.options = options
        self.consumerOptions = consumerOptions
        self.statisticsIntervalMs = statisticsIntervalMs
    }

    func properties(_ defaults: [String: String]) -> [String: String] {
        var props = defaults
        props["bootstrap.servers"] = brokers
        props["client.id"] = clientID
        if statisticsIntervalMs > 0 { props["statistics.interval.ms"] = String(statisticsIntervalMs) }
        props.merge(options) { _, new in new }
        return props
    }

    /// Parses `key=value,key=value` (the `VIGIL_KAFKA_OPTIONS` format) into librdkafka properties.
    public static func parseOptions(_ text: String) throws -> [String: String] {
        var result: [String: String] = [:]
        for item in text.split(separator: ",") {
            let pair = item.split(separator: "=", maxSplits: 1)
            let key = pair.first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
            guard pair.count == 2, !key.isEmpty else {
                throw KafkaError(.configuration, "expected key=value in Kafka options, got '\(item)'")
            }
            result[key] = pair[1].trimmingCharacters(in: .whitespaces)
        }
        return result
    }
}

/// Producer settings. Defaults favour safety: idempotence on, acks from all in-sync replicas.
public struct ProducerConfiguration: Sendable {
    public var kafka: KafkaConfiguration
    /// `enable.idempotence`; default true so retries never duplicate or reorder records.
    public var idempotent: Bool
    /// `linger.ms`: how long to wait to fill a batch. Default 5 ms.
    public var lingerMs: Int
    /// `queue.buffering.max.messages`: records waiting for delivery before `send` waits. Default 100,000.
    public var maxQueuedMessages: Int
    /// `message.timeout.ms`: how long librdkafka retries a record before reporting failure. Default 30 s.
    public var deliveryTimeoutMs: Int

    public init(
        kafka: KafkaConfiguration, idempotent: Bool = true, lingerMs: Int = 5, maxQueuedMessages: Int = 100_000,
        deliveryTimeoutMs: Int = 30_000
    ) {
        self.kafka = kafka
        self.idempotent = idempotent
        self.lingerMs = lingerMs
        self.maxQueuedMessages = maxQueuedMessages
        self.deliveryTimeoutMs = deliveryTimeoutMs
    }

    var properties: [String: String] {
        kafka.properties([
            "enable.idempotence": idempotent ? "true" : "false",
            "acks": "all",
            "linger.ms": String(lingerMs),
            "queue.buffering.max.messages": String(maxQueuedMessages),
            "message.timeout.ms": String(deliveryTimeoutMs),
            "compression.codec": "none",
        ])
    }
}

/// Consumer-group settings. Offsets are stored only for fully processed records and committed from those.
public struct ConsumerConfiguration: Sendable {
    public var kafka: KafkaConfiguration
    public var groupID: String
    public var topics: [String]
    /// Records read from the broker but not yet handed out; polling pauses when full. Default 2,000.
    public var bufferCapacity: Int
    /// Largest batch handed to the application at once. Default 500.
    public var maxBatch: Int
    /// How often stored offsets are committed. Default 1 s.
    public var commitIntervalMs: Int
    /// `group.instance.id` for static membership (faster recovery after a crash); nil for dynamic.
    public var instanceID: String?

    public init(
        kafka: KafkaConfiguration, groupID: String, topics: [String], bufferCapacity: Int = 2000,
        maxBatch: Int = 500, commitIntervalMs: Int = 1000, instanceID: String? = nil
    ) {
        self.kafka = kafka
        self.groupID = groupID
        self.topics = topics
        self.bufferCapacity = bufferCapacity
        self.maxBatch = maxBatch
        self.commitIntervalMs = commitIntervalMs
        self.instanceID = instanceID
    }

    var properties: [String: String] {
        var defaults = [
            "group.id": groupID,
            // Earliest + committed offsets: a new group sees everything; a known group resumes exactly.
            "auto.offset.reset": "earliest",
            "enable.auto.commit": "true",
            "auto.commit.interval.ms": String(commitIntervalMs),
            // We store offsets ourselves, only after a record's outputs were delivered.
            "enable.auto.offset.store": "false",
            "enable.partition.eof": "false",
            "queued.max.messages.kbytes": "16384",
        ]
        if let instanceID { defaults["group.instance.id"] = instanceID }
        return kafka.properties(defaults).merging(kafka.consumerOptions) { _, new in new }
    }
}
