import Foundation
import Ingestion
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Testing
import VigilHL7
import VigilKafka
import VigilModelCore
import VigilPHI

/// The MLLP front door against a real broker and PostgreSQL: AA only for what is on the broker, AE while
/// the broker is down, and what is resent afterwards arrives exactly once. The test runs its own broker so
/// it can stop it; tansu keeps data in memory, so each phase is checked on its own.
@Suite(
    .enabled(if: ServiceProcess.available && TestDatabase.isConfigured, "needs make test's environment"),
    .serialized)
struct MLLPIngestTests {
    static func oru(_ n: Int) -> [UInt8] {
        Array(
            ("MSH|^~\\&|MON|ICU|VIGIL|HOSP|20240301101500||ORU^R01^ORU_R01|M\(n)|P|2.5.1\r"
                + "PID|1||\(100_000 + n % 500)^^^HOSP^MR||Doe^Jane||19700101|F\r"
                + "OBR|1||F\(n)|8716-3^Vital signs^LN|||20240301101000\r"
                + "OBX|1|NM|8867-4^Heart rate^LN||\(60 + n % 40)|/min^beats per minute^UCUM|||||F|||20240301101000\r").utf8)
    }

    @Test func acknowledgesOnlyWhatIsOnTheBrokerAndResendsArriveOnce() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let port = try ServiceProcess.freePort()
            var broker = try ServiceProcess.startBroker(port: port)
            defer { ServiceProcess.killBroker(broker) }
            try await Task.sleep(for: .milliseconds(300))
            var kafka = TestKafka.configuration
            kafka.brokers = "127.0.0.1:\(port)"
            kafka.options["reconnect.backoff.max.ms"] = "500"
            let topic = "test.mllp.\(UUID().uuidString.prefix(8).lowercased())"
            try await KafkaAdmin(configuration: kafka, logger: TestKafka.logger).createTopics([.init(name: topic, partitions: 4)])
            let producer = try KafkaProducer(
                configuration: ProducerConfiguration(kafka: kafka, deliveryTimeoutMs: 3000), logger: TestKafka.logger)
            let intake = HL7Intake(
                mapper: HL7Mapper(),
                publisher: IngestPublisher(
                    producer: producer, ledger: DedupeLedger(pool: database.pool), source: "test", topic: topic,
                    logger: TestKafka.logger),
                channel: "mllp")
            let server = MLLPServer(
                configuration: MLLPConfiguration(port: 0),
                handler: MLLPIngestHandler(intake: intake, deadLetterTopic: topic + ".dlq", logger: TestKafka.logger),
                logger: TestKafka.logger)
            let group = ServiceGroup(services: [server], logger: TestKafka.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                while server.localPort == nil { try await Task.sleep(for: .milliseconds(10)) }
                let mllp = server.localPort!

                // Phase 1: 10,000 messages over 8 connections; every AA must be an event on the broker.
                let codes = try await MLLPClient.codes(port: mllp, messages: (0..<10_000).map(Self.oru), connections: 8)
                #expect(codes.filter { $0 == "AA" }.count == 10_000)
                let events = try await Self.controlIDs(kafka: kafka, topic: topic, expected: 10_000)
                #expect(events.count == 10_000)
                #expect(Set(events) == Set((0..<10_000).map { "M\($0)" }))

                // Phase 2: broker down — AE, never AA.
                ServiceProcess.killBroker(broker)
                let resend = (20_000..<20_050).map(Self.oru)
                let down = try await MLLPClient.codes(port: mllp, messages: resend, connections: 2)
                #expect(down.allSatisfy { $0 == "AE" }, "no AA while the broker is down: \(Set(down))")

                // Phase 3: broker back (empty: in-memory) — the resend arrives exactly once.
                broker = try ServiceProcess.startBroker(port: port)
                try await Task.sleep(for: .milliseconds(500))
                try await KafkaAdmin(configuration: kafka, logger: TestKafka.logger).createTopics([.init(name: topic, partitions: 4)])
                // Like an interface engine: resend what got AE until it gets AA. Records in flight when the
                // producer found the broker's idempotence state gone fail once (AE); none may be lost.
                var pending = Array(resend.indices)
                for _ in 0..<5 where !pending.isEmpty {
                    let codes = try await MLLPClient.codes(port: mllp, messages: pending.map { resend[$0] }, connections: 2)
                    #expect(codes.allSatisfy { $0 == "AA" || $0 == "AE" }, "after restart: \(Set(codes))")
                    pending = zip(pending, codes).filter { $0.1 != "AA" }.map(\.0)
                    if !pending.isEmpty { try await Task.sleep(for: .milliseconds(500)) }
                }
                #expect(pending.isEmpty, "every resend acknowledged within 5 rounds")
                let twice = try await MLLPClient.codes(port: mllp, messages: resend, connections: 1)
                #expect(twice.allSatisfy { $0 == "AA" }, "a duplicate is acknowledged")
                let after = try await Self.controlIDs(kafka: kafka, topic: topic, expected: 51)
                #expect(after.count == 50, "each resent message exactly once")
                #expect(Set(after) == Set((20_000..<20_050).map { "M\($0)" }))

                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            await producer.close(timeout: .seconds(1))
        }
    }

    @Test(.enabled(if: TestKafka.available)) func unprocessableMessagesGetARWithAnErrSegmentAndADeadLetter() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let topic = try await TestKafka.createTopic("mllp-ar", partitions: 1)
            let dlq = try await TestKafka.createTopic("mllp-ar-dlq", partitions: 1)
            let producer = try TestKafka.producer()
            let intake = HL7Intake(
                mapper: HL7Mapper(),
                publisher: IngestPublisher(
                    producer: producer, ledger: DedupeLedger(pool: database.pool), source: "test", topic: topic,
                    logger: TestKafka.logger),
                channel: "mllp")
            let server = MLLPServer(
                configuration: MLLPConfiguration(port: 0),
                handler: MLLPIngestHandler(intake: intake, deadLetterTopic: dlq, logger: TestKafka.logger),
                logger: TestKafka.logger)
            let group = ServiceGroup(services: [server], logger: TestKafka.logger)
            // No message type (MSH-9 empty); not HL7 at all.
            let bad: [[UInt8]] = [
                Array("MSH|^~\\&|MON|ICU|VIGIL|HOSP|20240301101500|||BAD1|P|2.5.1\rPID|1||1^^^H^MR\r".utf8),
                Array("this is not an HL7 message".utf8),
            ]
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                while server.localPort == nil { try await Task.sleep(for: .milliseconds(10)) }
                let acks = try await MLLPClient.send(port: server.localPort!, messages: bad + [Self.oru(7)])
                #expect(acks.map(MLLPClient.ackCode) == ["AR", "AR", "AA"])
                for ack in acks.prefix(2) {
                    let message = try HL7Message(parsing: ack)
                    #expect(!message.segments("ERR").isEmpty, "an AR says why in ERR")
                }
                #expect(try HL7Message(parsing: acks[0]).msa?.controlID == "BAD1", "MSA-2 echoes the control id")
                let consumer = try TestKafka.consumer(group: "check-\(UUID())", topics: [dlq])
                let letters = await TestKafka.collect(consumer, count: 2, timeout: .seconds(15))
                await consumer.close()
                #expect(Set(letters.map(\.value)) == Set(bad), "the original bytes are dead-lettered")
                let reasons = letters.compactMap { $0.headers.first { $0.key == DeadLetter.reasonHeader }?.value }
                    .map { String(decoding: $0, as: UTF8.self) }
                #expect(reasons.allSatisfy { ["parse_error", "validation_failed", "unsupported_message"].contains($0) }, "\(reasons)")
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            await producer.close(timeout: .seconds(1))
        }
    }

    /// Source control ids of the events on `topic` (asks for `expected`, waits up to 20 s).
    static func controlIDs(kafka: KafkaConfiguration, topic: String, expected: Int) async throws -> [String] {
        let consumer = try KafkaConsumer(
            configuration: ConsumerConfiguration(kafka: kafka, groupID: "check-\(UUID().uuidString)", topics: [topic]),
            logger: TestKafka.logger)
        let messages = await TestKafka.collect(consumer, count: expected, timeout: .seconds(20))
        await consumer.close()
        return try messages.map {
            try IdentifiedEvent.decode(headers: $0.headers.map { ($0.key, $0.value ?? []) }, data: $0.value)
                .source.messageControlID
        }
    }
}
