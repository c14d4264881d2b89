import Foundation
import Hummingbird
import Ingestion
import Logging
import ServiceLifecycle
import Synchronization
import Testing
import VigilKafka
import VigilModelCore
import VigilPHI
import VigilRuntime


/// `POST /fhir` against the broker and PostgreSQL: 202 only once the events are on the topic, a resend
/// publishes nothing new, invalid bodies get an OperationOutcome and a dead letter, and a broker that
/// cannot take the events gets the client a 503 (never a 202).
@Suite(.enabled(if: TestKafka.available && TestDatabase.isConfigured, "needs make test's environment"))
struct FHIREndpointTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/fhir_r4").standardized

    struct Reply {
        var status: Int
        var json: [String: Any]
        var retryAfter: String?
    }

    static func post(port: Int, path: String, body: Data, contentType: String = "application/fhir+json") async throws -> Reply {
        let response = try await HTTP1Client.request(
            "POST", port: port, path: path,
            headers: [("Content-Type", contentType), ("X-Vigil-Source-System", "test-sender")], body: Array(body))
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
        return Reply(status: response.status, json: json, retryAfter: response.header("Retry-After"))
    }

    /// Runs an endpoint publishing to fresh topics; `body` gets its port and the two topic names.
    static func withEndpoint(
        kafka: KafkaConfiguration = TestKafka.configuration, deliveryTimeoutMs: Int = 30_000,
        _ body: @Sendable (Int, String, String) async throws -> Void
    ) async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let topic = try await TestKafka.createTopic("fhir", partitions: 2)
            let dlq = try await TestKafka.createTopic("fhir-dlq", partitions: 1)
            let producer = try KafkaProducer(
                configuration: ProducerConfiguration(kafka: kafka, deliveryTimeoutMs: deliveryTimeoutMs),
                logger: TestKafka.logger)
            let endpoint = FHIREndpoint(
                submission: FHIRSubmission(
                    publisher: IngestPublisher(
                        producer: producer, ledger: DedupeLedger(pool: database.pool), source: "test", topic: topic,
                        logger: TestKafka.logger),
                    channel: "http"),
                producer: producer, deadLetterTopic: dlq, defaultSourceSystem: "fhir", logger: TestKafka.logger)
            let port = PortBox()
            let app = Application(
                router: endpoint.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { port.set($0.localAddress?.port ?? 0) }, logger: TestKafka.logger)
            let group = ServiceGroup(services: [app], logger: TestKafka.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                while port.value == 0 { try await Task.sleep(for: .milliseconds(10)) }
                try await body(port.value, topic, dlq)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            await producer.close(timeout: .seconds(1))
        }
    }

    @Test func syntheaBundlesAreAcceptedOnceAndTheirEventsAreOnTheTopic() async throws {
        let bundles = try FileManager.default.contentsOfDirectory(
            at: Self.fixtures.appendingPathComponent("synthea"), includingPropertiesForKeys: nil
        ).filter { $0.pathExtension == "json" }.sorted { $0.path < $1.path }
        #expect(bundles.count >= 4)
        try await Self.withEndpoint { port, topic, _ in
            var expectedIDs: Set<String> = []
            for url in bundles {
                let body = try Data(contentsOf: url)
                let reply = try await Self.post(port: port, path: "/fhir", body: body)
                #expect(reply.status == 202, "\(url.lastPathComponent): \(reply.json)")
                #expect(reply.json["resourceType"] as? String == "OperationOutcome")
                // The ids the intake assigns for this sender; the topic must hold exactly these.
                let result = FHIRIntake.process(
                    Array(body), contentType: "application/fhir+json",
                    options: .init(sourceSystem: "test-sender", receivedAt: Date()))
                let events = try #require(result.acceptance).events
                #expect(!events.isEmpty)
                expectedIDs.formUnion(events.map(\.id.rawValue))
            }
            // Resending every bundle is acknowledged again and publishes nothing.
            for url in bundles {
                let reply = try await Self.post(port: port, path: "/fhir", body: try Data(contentsOf: url))
                #expect(reply.status == 202)
            }
            let consumer = try TestKafka.consumer(group: "check-\(UUID())", topics: [topic])
            let messages = await TestKafka.collect(consumer, count: expectedIDs.count + 1, timeout: .seconds(15))
            await consumer.close()
            let ids = try messages.map {
                try IdentifiedEvent.decode(headers: $0.headers.map { ($0.key, $0.value ?? []) }, data: $0.value).id.rawValue
            }
            #expect(ids.count == expectedIDs.count, "each event exactly once")
            #expect(Set(ids) == expectedIDs, "unexpected \(Set(ids).subtracting(expectedIDs).count), missing \(expectedIDs.subtracting(ids).count), distinct \(Set(ids).count)")
        }
    }

    @Test func invalidBodiesGetAnOperationOutcomeAndADeadLetter() async throws {
        let cases: [(String, Data, String, Int)] = [
            ("/fhir", Data(#"{"resourceType":"Bundle","type":"transaction","entry":[{"#.utf8), "application/fhir+json", 400),
            ("/fhir", Data(#"{"resourceType":"Bundle","type":"nonsense"}"#.utf8), "application/fhir+json", 422),
            ("/fhir/Observation", Data(#"{"resourceType":"Patient","id":"p"}"#.utf8), "application/fhir+json", 400),
            ("/fhir/Observation", Data(#"<Observation xmlns="http://hl7.org/fhir"/>"#.utf8), "application/fhir+xml", 400),
        ]
        try await Self.withEndpoint { port, _, dlq in
            for (path, body, contentType, status) in cases {
                let reply = try await Self.post(port: port, path: path, body: body, contentType: contentType)
                #expect(reply.status == status, "\(path) \(String(decoding: body, as: UTF8.self))")
                #expect(reply.json["resourceType"] as? String == "OperationOutcome")
                let issues = reply.json["issue"] as? [[String: Any]] ?? []
                #expect(issues.contains { $0["severity"] as? String == "error" })
            }
            let consumer = try TestKafka.consumer(group: "check-\(UUID())", topics: [dlq])
            let letters = await TestKafka.collect(consumer, count: cases.count, timeout: .seconds(15))
            await consumer.close()
            #expect(letters.count == cases.count)
            #expect(Set(letters.map(\.value)) == Set(cases.map { Array($0.1) }), "the original bytes are kept")
            let reasons = letters.compactMap { $0.headers.first { $0.key == DeadLetter.reasonHeader }?.value }
            #expect(reasons.count == cases.count)
        }
    }

    @Test func aBrokerThatCannotTakeTheEventsGivesA503NeverA202() async throws {
        var kafka = TestKafka.configuration
        kafka.brokers = "127.0.0.1:9"  // discard port: nothing listens
        let observation = Data(
            #"""
            {"resourceType":"Observation","id":"o1","status":"final",
             "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
             "subject":{"reference":"Patient/p1"},"effectiveDateTime":"2024-05-01T12:00:00Z",
             "valueQuantity":{"value":72,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}
            """#.utf8)
        try await Self.withEndpoint(kafka: kafka, deliveryTimeoutMs: 1500) { port, _, _ in
            let reply = try await Self.post(port: port, path: "/fhir/Observation", body: observation)
            #expect(reply.status == 503)
            #expect(reply.retryAfter != nil)
            #expect(reply.json["resourceType"] as? String == "OperationOutcome")
        }
    }
}

final class PortBox: Sendable {
    private let port = Mutex(0)
    func set(_ value: Int) { port.withLock { $0 = value } }
    var value: Int { port.withLock { $0 } }
}
