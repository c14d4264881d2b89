import Foundation
import Testing
import VigilKafka

@Suite(.enabled(if: TestKafka.available, "needs VIGIL_KAFKA_BROKERS (make test sets it)"), .serialized)
struct KafkaProducerConsumerTests {
    @Test func tenThousandKeyedMessagesArriveOnceAndInOrderPerKey() async throws {
        let topic = try await TestKafka.createTopic("order", partitions: 4)
        let producer = try TestKafka.producer()
        let keys = 100
        let perKey = 100
        var records: [OutboundRecord] = []
        for seq in 0..<perKey {
            for key in 0..<keys {
                records.append(
                    OutboundRecord(
                        topic: topic, key: Array("patient-\(key)".utf8), value: Array("\(key):\(seq)".utf8),
                        headers: [KafkaHeader(key: "seq", text: "\(seq)"), KafkaHeader(key: "ce_type", text: "test")]))
            }
        }
        try await producer.sendBatch(records)
        await producer.close()

        let consumer = try TestKafka.consumer(group: TestKafka.uniqueName("g"), topics: [topic])
        let messages = await TestKafka.collect(consumer, count: keys * perKey)
        await consumer.close()

        #expect(messages.count == keys * perKey)
        var lastSeq: [String: Int] = [:]
        var seen = Set<String>()
        for message in messages {
            let key = String(decoding: message.key ?? [], as: UTF8.self)
            let seq = Int(message.header("seq") ?? "") ?? -1
            #expect(message.header("ce_type") == "test")
            #expect(String(decoding: message.value, as: UTF8.self) == "\(key.dropFirst("patient-".count)):\(seq)")
            #expect(seq > lastSeq[key, default: -1], "per-key order broken for \(key)")
            lastSeq[key] = seq
            seen.insert("\(key)/\(seq)")
        }
        #expect(seen.count == keys * perKey, "duplicates or losses")
    }

    /// A reader that stops reading fills the buffer; the poll thread then pauses fetching (it once called
    /// rd_kafka_poll there, which aborts in librdkafka when a fetched record is queued) and resumes without
    /// losing or repeating a record.
    @Test func aStalledReaderPausesFetchingAndLosesNothing() async throws {
        let topic = try await TestKafka.createTopic("stall", partitions: 2)
        let producer = try TestKafka.producer()
        try await producer.sendBatch((0..<3000).map { OutboundRecord(topic: topic, key: Array("k\($0 % 7)".utf8), value: Array("\($0)".utf8)) })
        await producer.close()
        let consumer = try KafkaConsumer(
            configuration: ConsumerConfiguration(
                kafka: TestKafka.configuration, groupID: TestKafka.uniqueName("stall"), topics: [topic],
                bufferCapacity: 50, maxBatch: 20),
            logger: TestKafka.logger)
        var values: [String] = []
        var stalls = 0
        for await batch in consumer.batches {
            values += batch.map { String(decoding: $0.value, as: UTF8.self) }
            if values.count >= 40, stalls < 3 {
                stalls += 1
                try await Task.sleep(for: .milliseconds(1500))  // stall: the buffer fills and stays full
            }
            if values.count >= 3000 { break }
        }
        await consumer.close()
        #expect(values.count == 3000)
        #expect(Set(values) == Set((0..<3000).map(String.init)))
    }

    @Test func crashedConsumerResumesFromLastCommit() async throws {
        let topic = try await TestKafka.createTopic("resume", partitions: 1)
        let producer = try TestKafka.producer()
        try await producer.sendBatch((0..<100).map { OutboundRecord(topic: topic, value: Array("\($0)".utf8)) })
        await producer.close()
        let group = TestKafka.uniqueName("g")
        let partition = TopicPartition(topic: topic, partition: 0)

        // Long auto-commit interval: only the explicit commit below reaches the broker before the crash.
        let first = try TestKafka.consumer(group: group, topics: [topic], commitIntervalMs: 600_000)
        let read = await TestKafka.collect(first, count: 100)
        #expect(read.count == 100)
        first.store(partition, offset: 40)
        try await first.commit()
        first.store(partition, offset: 80)  // processed but never committed
        await first.abandon()

        let second = try TestKafka.consumer(group: group, topics: [topic])
        let resumed = await TestKafka.collect(second, count: 60, timeout: .seconds(45))
        await second.close()
        #expect(resumed.first?.offset == 40)
        #expect(resumed.map(\.offset) == Array(40..<100))
    }

    @Test func twoConsumersInOneGroupShareThePartitions() async throws {
        let topic = try await TestKafka.createTopic("share", partitions: 4)
        let group = TestKafka.uniqueName("g")
        let a = try TestKafka.consumer(group: group, topics: [topic])
        let b = try TestKafka.consumer(group: group, topics: [topic])
        let producer = try TestKafka.producer()
        try await producer.sendBatch((0..<400).map { OutboundRecord(topic: topic, key: Array("k\($0)".utf8), value: [1]) })
        await producer.close()

        // Both members read until the group settled and all records arrived between them.
        let shared = SharedCount()
        async let fromA = TestKafka.collect(a, count: 400, timeout: .seconds(30), shared: shared)
        async let fromB = TestKafka.collect(b, count: 400, timeout: .seconds(30), shared: shared)
        let (ra, rb) = await (fromA, fromB)
        let partitionsA = Set(a.assignment.map(\.partition))
        let partitionsB = Set(b.assignment.map(\.partition))
        await a.close()
        await b.close()
        #expect(!partitionsA.isEmpty && !partitionsB.isEmpty, "each member owns partitions")
        #expect(partitionsA.isDisjoint(with: partitionsB))
        #expect(partitionsA.union(partitionsB) == [0, 1, 2, 3])
        #expect(Set((ra + rb).map { "\($0.partition)/\($0.offset)" }).count == 400)
    }

    @Test func createTopicsIsIdempotentAndListed() async throws {
        let admin = try KafkaAdmin(configuration: TestKafka.configuration, logger: TestKafka.logger)
        let name = TestKafka.uniqueName("admin")
        try await admin.createTopics([KafkaAdmin.TopicSpec(name: name, partitions: 3)])
        try await admin.createTopics([KafkaAdmin.TopicSpec(name: name, partitions: 3)])
        #expect(try await admin.listTopics().contains(name))
    }

    @Test func sendReportsPartitionAndOffset() async throws {
        let topic = try await TestKafka.createTopic("report", partitions: 1)
        let producer = try TestKafka.producer()
        let first = try await producer.send(OutboundRecord(topic: topic, value: [1]))
        let second = try await producer.send(OutboundRecord(topic: topic, value: [2]))
        await producer.close()
        #expect(first.partition == 0)
        #expect(second.offset == first.offset + 1)
    }
}
