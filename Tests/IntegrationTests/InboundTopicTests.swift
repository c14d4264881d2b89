import Foundation
import Ingestion
import ServiceLifecycle
import Testing
import VigilKafka
import VigilModelCore
import VigilPHI

/// Upstream systems that publish instead of connecting: raw HL7 v2 and FHIR JSON records on the inbound
/// topics become events on the identified topic through the stage runner; what cannot be processed goes to
/// the dead-letter topic with its reason and original bytes; a resent record publishes nothing new.
@Suite(.enabled(if: TestKafka.available && TestDatabase.isConfigured, "needs make test's environment"))
struct InboundTopicTests {
    static let oru = Array(
        ("MSH|^~\\&|MON|ICU|VIGIL|HOSP|20240301101500||ORU^R01^ORU_R01|IN-1|P|2.5.1\r"
            + "PID|1||4711^^^HOSP^MR||Doe^Jane||19700101|F\r"
            + "OBR|1||F1|8716-3^Vital signs^LN|||20240301101000\r"
            + "OBX|1|NM|8867-4^Heart rate^LN||88|/min|||||F|||20240301101000\r"
            + "OBX|2|NM|9279-1^Respiratory rate^LN||22|/min|||||F|||20240301101000\r").utf8)
    static let observation = Array(
        #"""
        {"resourceType":"Observation","id":"in-2","status":"final",
         "code":{"coding":[{"system":"http://loinc.org","code":"59408-5"}]},
         "subject":{"reference":"Patient/p9"},"effectiveDateTime":"2024-05-01T12:00:00Z",
         "valueQuantity":{"value":93,"unit":"%","system":"http://unitsofmeasure.org","code":"%"}}
        """#.utf8)

    @Test func rawRecordsOnTheInboundTopicsBecomeEventsOrDeadLetters() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let hl7In = try await TestKafka.createTopic("in-hl7", partitions: 1)
            let fhirIn = try await TestKafka.createTopic("in-fhir", partitions: 1)
            let events = try await TestKafka.createTopic("in-events", partitions: 1)
            let dlq = try await TestKafka.createTopic("in-dlq", partitions: 1)
            let producer = try TestKafka.producer()
            let ledger = DedupeLedger(pool: database.pool)
            func publisher(_ channel: String) -> IngestPublisher {
                IngestPublisher(producer: producer, ledger: ledger, source: channel, topic: events, logger: TestKafka.logger)
            }
            func runner(_ topic: String, _ handler: some StageHandler) -> StageRunner {
                StageRunner(
                    configuration: StageConfiguration(
                        name: "test",
                        consumer: ConsumerConfiguration(
                            kafka: TestKafka.configuration, groupID: TestKafka.uniqueName("in"), topics: [topic]),
                        deadLetterTopic: dlq, retryInitial: .milliseconds(10)),
                    producer: producer, handler: handler, logger: TestKafka.logger)
            }
            let group = ServiceGroup(
                services: [
                    runner(hl7In, InboundHL7Handler(intake: HL7Intake(mapper: HL7Mapper(), publisher: publisher("kafka"), channel: "kafka"))),
                    runner(fhirIn, InboundFHIRHandler(submission: FHIRSubmission(publisher: publisher("kafka-fhir"), channel: "kafka-fhir"), defaultSourceSystem: "fhir")),
                ], logger: TestKafka.logger)
            let garbageHL7 = Array("MSH|this is not HL7".utf8)
            let garbageFHIR = Array(#"{"resourceType":"Observation","status":"#.utf8)
            let fhirHeaders = [KafkaHeader(key: "content-type", text: "application/fhir+json")]
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                try await producer.sendBatch([
                    OutboundRecord(topic: hl7In, key: nil, value: Self.oru),
                    OutboundRecord(topic: hl7In, key: nil, value: garbageHL7),
                    OutboundRecord(topic: hl7In, key: nil, value: Self.oru),  // a resend
                    OutboundRecord(topic: fhirIn, key: nil, value: Self.observation, headers: fhirHeaders),
                    OutboundRecord(topic: fhirIn, key: nil, value: garbageFHIR, headers: fhirHeaders),
                ])
                let eventConsumer = try TestKafka.consumer(group: TestKafka.uniqueName("check"), topics: [events])
                let published = await TestKafka.collect(eventConsumer, count: 4, timeout: .seconds(20))
                await eventConsumer.close()
                let decoded = try published.map {
                    try IdentifiedEvent.decode(headers: $0.headers.map { ($0.key, $0.value ?? []) }, data: $0.value)
                }
                #expect(decoded.count == 3, "two OBX and one Observation; the resend adds nothing")
                #expect(Set(decoded.map(\.code.code)) == ["8867-4", "9279-1", "59408-5"])
                let letterConsumer = try TestKafka.consumer(group: TestKafka.uniqueName("check"), topics: [dlq])
                let letters = await TestKafka.collect(letterConsumer, count: 2, timeout: .seconds(20))
                await letterConsumer.close()
                #expect(Set(letters.map(\.value)) == [garbageHL7, garbageFHIR])
                let reasons = Set(letters.compactMap { $0.headers.first { $0.key == DeadLetter.reasonHeader }?.value }
                    .map { String(decoding: $0, as: UTF8.self) })
                #expect(reasons == ["parse_error"])
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            await producer.close(timeout: .seconds(1))
        }
    }
}
