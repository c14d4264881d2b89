import Foundation
import Logging
import VigilKafka

/// Produces one record to `vigil.doctor.v1` and reads it back through a fresh consumer group.
struct RoundTrip {
    static let topic = "vigil.doctor.v1"
    let kafka: KafkaConfiguration
    let logger: Logger

    func run() async throws -> String {
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        try await admin.createTopics([KafkaAdmin.TopicSpec(name: Self.topic, partitions: 1)])
        let id = UUID().uuidString
        let producer = try KafkaProducer(configuration: ProducerConfiguration(kafka: kafka), logger: logger)
        let report = try await producer.send(
            OutboundRecord(topic: Self.topic, key: Array(id.utf8), value: Array("doctor".utf8),
                headers: [KafkaHeader(key: "ce_id", text: id)]))
        await producer.close()
        let consumer = try KafkaConsumer(
            configuration: ConsumerConfiguration(kafka: kafka, groupID: "vigil-doctor-\(id)", topics: [Self.topic]),
            logger: logger)
        let found = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                for await batch in consumer.batches where batch.contains(where: { $0.header("ce_id") == id }) {
                    return true
                }
                return false
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(30))
                consumer.stopReading()
                return false
            }
            let result = await group.next() ?? false
            group.cancelAll()
            return result
        }
        await consumer.close()
        guard found else { throw CLIFailure("record produced at offset \(report.offset) was not read back within 30 s") }
        return "produced and consumed 1 record on \(Self.topic) (offset \(report.offset))"
    }
}
