import Foundation
import Ingestion
import Testing
import VigilKafka
import VigilModelCore
import VigilPHI

@Suite(
    .enabled(if: TestKafka.available && TestDatabase.isConfigured, "needs the broker and PostgreSQL (make test)"),
    .serialized)
struct IngestPublisherTests {
    static func message(_ control: String, content: String, observations: Int) -> PreparedMessage {
        let patient = IdentifiedPatient(assigningAuthority: "HOSP", patientID: "MRN-\(control)")
        let events = (0..<observations).map { position in
            IdentifiedEvent(
                patient: patient, kind: .observation, code: Coding(system: Coding.System.loinc, code: "8867-4"),
                value: .quantity(value: Double(60 + position), unit: "/min"), effectiveTime: Date(timeIntervalSince1970: 1_700_000_000),
                recordedTime: Date(timeIntervalSince1970: 1_700_000_000),
                source: EventSource(system: "MON^ICU", messageControlID: control, position: position + 1))
        }
        return PreparedMessage(
            fingerprint: MessageFingerprint(sourceSystem: "MON^ICU", controlID: control, content: Array(content.utf8)),
            events: events)
    }

    @Test func resendsPublishNothingNewAndConflictsAreKept() async throws {
        let topic = try await TestKafka.createTopic("identified", partitions: 3)
        try await TestDatabase.withFresh(migrated: true) { database in
            let producer = try TestKafka.producer()
            let publisher = IngestPublisher(
                producer: producer, ledger: DedupeLedger(pool: database.pool), source: "vigil-ingest/test", topic: topic,
                logger: TestKafka.logger)
            let batch = [Self.message("C1", content: "a", observations: 3), Self.message("C2", content: "b", observations: 2)]

            let first = await publisher.publish(batch)
            #expect(first.map { try? $0.get() } == [.new, .new])
            let again = await publisher.publish(batch)
            #expect(again.map { try? $0.get() } == [.duplicate, .duplicate])
            let changed = await publisher.publish([Self.message("C1", content: "a-corrected", observations: 3)])
            #expect(changed.map { try? $0.get() } == [.conflict])
            await producer.close()

            let consumer = try TestKafka.consumer(group: TestKafka.uniqueName("g"), topics: [topic])
            // Ask for one more than expected: a republished duplicate would show up as a 9th record.
            let received = await TestKafka.collect(consumer, count: 9, timeout: .seconds(10))
            await consumer.close()
            #expect(received.count == 8, "3 + 2 events, then 3 conflicting ones; the resend adds none")
            let ids = try received.map {
                try IdentifiedEvent.decode(headers: $0.headers.map { ($0.key, $0.value ?? []) }, data: $0.value).id
            }
            #expect(Set(ids).count == 8, "conflicting content is published under new ids, not swallowed")
            let conflicts = try await database.pool.query("SELECT count(*) FROM ingest.conflicts")
            #expect(try conflicts[0].decode(Int.self, at: 0) == 1)
        }
    }
}
