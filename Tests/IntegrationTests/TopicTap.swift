import Foundation
import Synchronization
import VigilKafka

/// Reads topics from the beginning, in a consumer group of its own, and keeps every record it sees, so a test
/// can look at everything the pipeline published while the pipeline runs.
final class TopicTap: Sendable {
    private let consumer: KafkaConsumer
    private let received = Mutex<[KafkaMessage]>([])

    private init(kafka: KafkaConfiguration, topics: [String]) throws {
        consumer = try KafkaConsumer(
            configuration: ConsumerConfiguration(
                kafka: kafka, groupID: "pipeline-tap-\(UUID().uuidString.prefix(8))", topics: topics),
            logger: TestKafka.logger)
    }

    /// Runs `body` while a tap reads `topics`; stops and closes it afterwards, on every path.
    static func reading<Value>(
        _ kafka: KafkaConfiguration, topics: [String], _ body: (TopicTap) async throws -> Value
    ) async throws -> Value {
        let tap = try TopicTap(kafka: kafka, topics: topics)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await tap.read() }
            let result: Result<Value, any Error>
            do { result = .success(try await body(tap)) } catch { result = .failure(error) }
            tap.consumer.stopReading()
            try await group.waitForAll()
            await tap.consumer.close()
            return try result.get()
        }
    }

    private func read() async {
        for await batch in consumer.batches { received.withLock { $0 += batch } }
    }

    func messages(on topic: String) -> [KafkaMessage] {
        received.withLock { $0.filter { $0.topic == topic } }
    }

    /// The CloudEvent ids (`ce_id`) of the records on `topic`, duplicates included.
    func ids(on topic: String) -> [String] {
        messages(on: topic).compactMap { $0.header("ce_id") }
    }

    /// Every record of `topic` as text: key, header values and value.
    func texts(on topic: String) -> [String] {
        messages(on: topic).map { message in
            ([message.key ?? [], message.value] + message.headers.map { $0.value ?? [] })
                .map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        }
    }
}
