import Foundation
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import VigilKafka
import VigilPostgres
import VigilRuntime

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

/// Stands in for a handler that writes each batch in one transaction: a batch holding a value that starts with
/// "poison" fails as a whole with a unique violation. Its message quotes the value, as DETAIL lines and
/// RAISE texts can, so the test can tell that no error text reaches the dead letter.
private struct TransactionalHandler: StageHandler {
    let output: String
    let poisonedAlone = CallCount()

    func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome] {
        let texts = batch.map { String(decoding: $0.value, as: UTF8.self) }
        if let poisoned = texts.first(where: { $0.hasPrefix("poison") }) {
            if batch.count == 1 { _ = poisonedAlone.next() }
            throw PostgresError(
                code: .queryFailed,
                message: "duplicate key value violates unique constraint \"events_pkey\" (\(poisoned))",
                sqlState: "23505")
        }
        return texts.map { .produce([OutboundRecord(topic: output, key: nil, value: Array($0.uppercased().utf8))]) }
    }
}

/// Fails with a serialization failure on its first `failures` calls, then upper-cases values.
private struct FlakyHandler: StageHandler {
    let output: String
    let failures: Int
    let calls = CallCount()

    func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome] {
        if calls.next() <= failures {
            throw PostgresError(
                code: .queryFailed, message: "could not serialize access due to concurrent update", sqlState: "40001")
        }
        return batch.map { message in
            let text = String(decoding: message.value, as: UTF8.self)
            return .produce([OutboundRecord(topic: output, key: nil, value: Array(text.uppercased().utf8))])
        }
    }
}

private final class CallCount: Sendable {
    private let count = Mutex(0)
    func next() -> Int { count.withLock { $0 += 1; return $0 } }
    var value: Int { count.withLock { $0 } }
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

    @Test func poisonedRecordIsDeadLetteredAloneAndTheOthersGoThroughInOrder() async throws {
        let input = try await TestKafka.createTopic("isolate-in", partitions: 1)
        let output = try await TestKafka.createTopic("isolate-out", partitions: 1)
        let dlq = try await TestKafka.createTopic("isolate-dlq", partitions: 1)
        let producer = try TestKafka.producer()
        let values = (0..<30).map { [13, 21].contains($0) ? "poison-\($0)" : "ok-\($0)" }
        try await producer.sendBatch(values.map { OutboundRecord(topic: input, key: nil, value: Array($0.utf8)) })

        let handler = TransactionalHandler(output: output)
        let group = TestKafka.uniqueName("isolate")
        let (produced, rejected) = try await run(
            handler, group: group, input: input, output: output, dlq: dlq, producer: producer,
            expecting: (values.count - 2, 2))

        #expect(
            produced.map { String(decoding: $0.value, as: UTF8.self) }
                == values.filter { !$0.hasPrefix("poison") }.map { $0.uppercased() })
        #expect(rejected.map { String(decoding: $0.value, as: UTF8.self) } == ["poison-13", "poison-21"])
        for message in rejected {
            #expect(message.header(DeadLetter.reasonHeader) == "stage.handler_failed")
            #expect(message.header(DeadLetter.detailHeader) == "postgres.23505")
            #expect(message.header(DeadLetter.stageHeader) == "test")
            #expect(message.header(DeadLetter.sourceTopicHeader) == input)
            // Only the original value carries the record's data; no header repeats the error's text.
            let headerText = message.headers.compactMap { $0.value.map { String(decoding: $0, as: UTF8.self) } }
            #expect(!headerText.contains { $0.contains("poison") || $0.contains("duplicate") || $0.contains("pkey") })
        }
        // Each poisoned record was tried on its own `deadLetterAfter` (3) times before it was given up.
        #expect(handler.poisonedAlone.value == 2 * 3)
        #expect(try await committedCount(group: group, topic: input, partitions: 1) == values.count)
    }

    @Test func transientFailuresRetryUntilTheyPassAndDeadLetterNothing() async throws {
        let input = try await TestKafka.createTopic("flaky-in", partitions: 1)
        let output = try await TestKafka.createTopic("flaky-out", partitions: 1)
        let dlq = try await TestKafka.createTopic("flaky-dlq", partitions: 1)
        let producer = try TestKafka.producer()
        let values = (0..<20).map { "ok-\($0)" }
        try await producer.sendBatch(values.map { OutboundRecord(topic: input, key: nil, value: Array($0.utf8)) })

        // More failures than `isolateAfter` (5): the batch is retried, then its records one at a time, and a
        // transient failure never dead-letters however long it lasts.
        let handler = FlakyHandler(output: output, failures: 8)
        let group = TestKafka.uniqueName("flaky")
        let (produced, rejected) = try await run(
            handler, group: group, input: input, output: output, dlq: dlq, producer: producer,
            expecting: (values.count, 0))

        #expect(produced.map { String(decoding: $0.value, as: UTF8.self) } == values.map { $0.uppercased() })
        #expect(rejected.isEmpty)
        #expect(try await committedCount(group: group, topic: input, partitions: 1) == values.count)
    }

    /// Runs a stage over `input` until `expecting` outputs and dead letters arrived (waiting a little longer
    /// for dead letters when none are expected), then shuts it down gracefully.
    private func run(
        _ handler: some StageHandler, group: String, input: String, output: String, dlq: String,
        producer: KafkaProducer, expecting: (produced: Int, rejected: Int)
    ) async throws -> (produced: [KafkaMessage], rejected: [KafkaMessage]) {
        let runner = StageRunner(
            configuration: StageConfiguration(
                name: "test",
                consumer: ConsumerConfiguration(kafka: TestKafka.configuration, groupID: group, topics: [input]),
                deadLetterTopic: dlq, retryInitial: .milliseconds(10), retryMax: .milliseconds(50)),
            producer: producer, handler: handler, logger: TestKafka.logger)
        let serviceGroup = ServiceGroup(services: [runner], logger: TestKafka.logger)
        let outputs = try TestKafka.consumer(group: TestKafka.uniqueName("check"), topics: [output])
        let deadLetters = try TestKafka.consumer(group: TestKafka.uniqueName("check"), topics: [dlq])
        let result = try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await serviceGroup.run() }
            let produced = await TestKafka.collect(outputs, count: expecting.produced)
            let rejected = await TestKafka.collect(
                deadLetters, count: max(expecting.rejected, 1),
                timeout: expecting.rejected == 0 ? .seconds(3) : .seconds(30))
            await serviceGroup.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return (produced, rejected)
        }
        await outputs.close()
        await deadLetters.close()
        await producer.close()
        return result
    }

    private func committedCount(group: String, topic: String, partitions: Int32) async throws -> Int {
        let probe = try TestKafka.consumer(group: group, topics: [topic])
        let committed = try await probe.committed((0..<partitions).map { TopicPartition(topic: topic, partition: $0) })
        await probe.close()
        return Int(committed.values.reduce(0, +))
    }
}

/// `PostgresError` as the stage runner sees it (`StageFailure(classifying:)`), from errors a real server raised.
@Suite struct StageRunnerFailureClassificationTests {
    private func failure(_ body: () async throws -> Void) async -> StageFailure? {
        do {
            try await body()
            return nil
        } catch {
            return StageFailure(classifying: error)
        }
    }

    @Test(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
    func refusedValuesArePermanentAndNamedBySQLStateOnly() async throws {
        try await TestDatabase.withFresh { database in
            let pool = database.pool
            try await pool.execute("CREATE TABLE patients (mrn text PRIMARY KEY, age int CHECK (age >= 0))")
            try await pool.execute("INSERT INTO patients VALUES (\("MRN-0042-SECRET"), \(40))")

            let duplicate = await failure {
                try await pool.execute("INSERT INTO patients VALUES (\("MRN-0042-SECRET"), 1)")
            }
            #expect(duplicate == .permanent(kind: "postgres.23505"))
            let check = await failure { try await pool.execute("INSERT INTO patients VALUES (\("MRN-7"), \(-1))") }
            #expect(check == .permanent(kind: "postgres.23514"))
            let badInput = await failure { _ = try await pool.query("SELECT \("Jane Doe")::int") }
            #expect(badInput == .permanent(kind: "postgres.22P02"))
            let undefined = await failure { _ = try await pool.query("SELECT * FROM nowhere") }
            #expect(undefined == .transient, "a missing table is a deploy problem: stall, do not dead-letter everything")
            let nul = await failure { try await pool.execute("INSERT INTO patients VALUES (\("a\u{0}b"), 1)") }
            #expect(nul == .permanent(kind: "postgres.invalidParameter"))
        }
    }

    @Test(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
    func lostConnectionsAndTimeoutsAreTransient() async throws {
        // Port 1 on loopback: nothing listens there, the connect is refused at once.
        let unreachable = PostgresPool(
            configuration: PostgresConfiguration(connectionString: "postgresql://vigil@127.0.0.1:1/vigil"),
            logger: TestDatabase.logger)
        #expect(await failure { _ = try await unreachable.query("SELECT 1") } == .transient)
        await unreachable.close()

        try await TestDatabase.withFresh { database in
            let pool = database.pool
            // The server ends the session (57P01, as in a restart).
            #expect(
                await failure { _ = try await pool.query("SELECT pg_terminate_backend(pg_backend_pid())") }
                    == .transient)
            // A statement timeout (57014).
            let timeout = await failure {
                try await pool.withTransaction { connection in
                    try await connection.simpleExecute("SET LOCAL statement_timeout = '50ms'")
                    _ = try await connection.query("SELECT pg_sleep(5)")
                }
            }
            #expect(timeout == .transient)
        }
    }

    @Test func sqlStateClassesDecide() {
        func classify(_ sqlState: String) -> StageFailure {
            StageFailure(classifying: PostgresError(code: .queryFailed, message: "m", sqlState: sqlState))
        }
        for transient in [
            "08006", "40001", "40P01", "53300", "57P01", "57014", "58030", "55P03", "XX000", "P0001", "42501", "42601", "42P01",
        ] {
            #expect(classify(transient) == .transient, "SQLSTATE \(transient)")
        }
        for permanent in ["22001", "22P02", "23502", "23505", "23514"] {
            #expect(classify(permanent) == .permanent(kind: "postgres.\(permanent)"), "SQLSTATE \(permanent)")
        }
        #expect(StageFailure(classifying: PostgresError(code: .connectionFailed, message: "m")) == .transient)
        #expect(StageFailure(classifying: PostgresError(code: .poolClosed, message: "m")) == .transient)
        #expect(StageFailure(classifying: PostgresError(code: .transactionAborted, message: "m")) == .transient)
        #expect(
            StageFailure(classifying: PostgresError(code: .decoding, message: "m"))
                == .permanent(kind: "postgres.decoding"))
    }
}
