import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import VigilKafka

/// Upper-cases values; dead-letters any value containing "bad"; fails transiently on the first call.
private struct UppercaseHandler: StageHandler {
    let output: String
    let calls = CallCount()

    func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome] {
        if calls.next() == 1 { throw KafkaError(.timeout, "simulated transient failure") }
        return batch.map { message in
            let text = String(decoding: message.value, as: UTF8.self)
            if text.contains("bad") { return .deadLetter(DeadLetterReason(code: "test.rejected", detail: "contains bad")) }
            return .produce([OutboundRecord(topic: output, key: message.key, value: Array(text.uppercased().utf8))])
        }
    }
}

private final class CallCount: Sendable {
    private let count = Mutex(0)
    func next() -> Int { count.withLock { $0 += 1; return $0 } }
}

@Suite(.enabled(if: TestKafka.available, "needs VIGIL_KAFKA_BROKERS (make test sets it)"), .serialized)
struct StageRunnerTests {
    @Test func rejectedRecordsGoToDeadLetterAndOffsetsCommitAfterDelivery() async throws {
        let input = try await TestKafka.createTopic("stage-in", partitions: 2)
        let output = try await TestKafka.createTopic("stage-out", partitions: 2)
        let dlq = try await TestKafka.createTopic("stage-dlq", partitions: 1)
        let producer = try TestKafka.producer()
        let values = (0..<50).map { $0 % 10 == 3 ? "bad-\($0)" : "ok-\($0)" }
        try await producer.sendBatch(values.enumerated().map {
            OutboundRecord(topic: input, key: Array("k\($0.offset % 7)".utf8), value: Array($0.element.utf8))
        })

        let group = TestKafka.uniqueName("stage")
        let runner = StageRunner(
            configuration: StageConfiguration(
                name: "test",
                consumer: ConsumerConfiguration(kafka: TestKafka.configuration, groupID: group, topics: [input]),
                deadLetterTopic: dlq, retryInitial: .milliseconds(10)),
            producer: producer, handler: UppercaseHandler(output: output), logger: TestKafka.logger)
        let serviceGroup = ServiceGroup(services: [runner], logger: TestKafka.logger)

        let outputs = try TestKafka.consumer(group: TestKafka.uniqueName("check"), topics: [output])
        let deadLetters = try TestKafka.consumer(group: TestKafka.uniqueName("check"), topics: [dlq])
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await serviceGroup.run() }
            let produced = await TestKafka.collect(outputs, count: 45)
            let rejected = await TestKafka.collect(deadLetters, count: 5)
            #expect(Set(produced.map { String(decoding: $0.value, as: UTF8.self) })
                == Set(values.filter { !$0.contains("bad") }.map { $0.uppercased() }))
            #expect(Set(rejected.map { String(decoding: $0.value, as: UTF8.self) }) == Set(values.filter { $0.contains("bad") }))
            for message in rejected {
                #expect(message.header(DeadLetter.reasonHeader) == "test.rejected")
                #expect(message.header(DeadLetter.sourceTopicHeader) == input)
                #expect(message.header(DeadLetter.stageHeader) == "test")
            }
            await serviceGroup.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        await outputs.close()
        await deadLetters.close()
        await producer.close()

        // Graceful shutdown committed everything that was delivered: the group's offsets cover all 50.
        let probe = try TestKafka.consumer(group: group, topics: [input])
        let committed = try await probe.committed([0, 1].map { TopicPartition(topic: input, partition: $0) })
        await probe.close()
        #expect(committed.values.reduce(0, +) == 50)
    }
}
