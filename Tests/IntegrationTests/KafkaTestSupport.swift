import Foundation
import Logging
import Synchronization
import VigilKafka

/// Broker settings from the environment `make test` writes (.vigil/env); tests are skipped without it.
enum TestKafka {
    static let brokers = ProcessInfo.processInfo.environment["VIGIL_KAFKA_BROKERS"]
    static var available: Bool { brokers != nil }

    static var configuration: KafkaConfiguration {
        func options(_ name: String) -> [String: String] {
            ProcessInfo.processInfo.environment[name].flatMap { try? KafkaConfiguration.parseOptions($0) } ?? [:]
        }
        return KafkaConfiguration(
            brokers: brokers ?? "", clientID: "vigil-test", options: options("VIGIL_KAFKA_OPTIONS"),
            consumerOptions: options("VIGIL_KAFKA_CONSUMER_OPTIONS"), statisticsIntervalMs: 0)
    }

    static var logger: Logger {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }

    /// A topic name no other test uses.
    static func uniqueName(_ prefix: String) -> String {
        "test.\(prefix).\(UUID().uuidString.prefix(8).lowercased())"
    }

    static func createTopic(_ prefix: String, partitions: Int) async throws -> String {
        let name = uniqueName(prefix)
        let admin = try KafkaAdmin(configuration: configuration, logger: logger)
        try await admin.createTopics([KafkaAdmin.TopicSpec(name: name, partitions: partitions)])
        return name
    }

    static func consumer(group: String, topics: [String], commitIntervalMs: Int = 1000) throws -> KafkaConsumer {
        try KafkaConsumer(
            configuration: ConsumerConfiguration(
                kafka: configuration, groupID: group, topics: topics, commitIntervalMs: commitIntervalMs),
            logger: logger)
    }

    static func producer() throws -> KafkaProducer {
        try KafkaProducer(configuration: ProducerConfiguration(kafka: configuration), logger: logger)
    }

    /// Reads batches until `count` records arrived or `timeout` passed; returns what arrived.
    /// With `shared`, stops when all consumers sharing it together read `count`.
    static func collect(
        _ consumer: KafkaConsumer, count: Int, timeout: Duration = .seconds(30), shared: SharedCount? = nil
    ) async -> [KafkaMessage] {
        await withTaskGroup(of: [KafkaMessage]?.self) { group in
            group.addTask {
                var messages: [KafkaMessage] = []
                for await batch in consumer.batches {
                    messages += batch
                    let total = shared?.add(batch.count) ?? messages.count
                    if total >= count { break }
                }
                return messages
            }
            group.addTask {
                // Ends the wait at the deadline, or as soon as the consumers sharing a count have it all.
                let deadline = ContinuousClock.now + timeout
                while ContinuousClock.now < deadline && (shared?.total ?? 0) < count {
                    try? await Task.sleep(for: .milliseconds(50))
                    if Task.isCancelled { return nil }
                }
                return nil
            }
            var result: [KafkaMessage] = []
            while let next = await group.next() {
                if let next {
                    result = next
                    group.cancelAll()
                } else {
                    // Deadline or shared count reached: stop the reader; it returns what it has.
                    consumer.stopReading()
                }
            }
            return result
        }
    }
}

/// A count several consumers add to.
final class SharedCount: Sendable {
    private let value = Mutex(0)
    func add(_ n: Int) -> Int { value.withLock { $0 += n; return $0 } }
    var total: Int { value.withLock { $0 } }
}
