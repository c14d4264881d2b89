import Deidentification
import Foundation
import Testing
import VigilKafka
import VigilModelCore
import VigilPHI

/// The real `vigil-deid` at trace level: identified events full of canary PHI go in on
/// `clinical.events.identified.v1`; de-identified events come out on `clinical.events.v1` with no canary in
/// their values, headers or keys, and none in the service's logs or metrics.
@Suite(.enabled(if: ServiceProcess.available && TestKafka.available, "needs make test's environment"), .serialized)
struct DeidServiceTests {
    static let canaries = [
        "Pembertonia", "Quillfeather", "MRN-DEID-88231", "321-54-9876", "9 Canary Row", "Lowestoftia", "555-0199-2323",
        "quill@example.org", "VISIT-DEID-77",
    ]

    static func events(run: String) -> [IdentifiedEvent] {
        let patient = IdentifiedPatient(
            assigningAuthority: "HOSP", patientID: "MRN-DEID-88231",
            identifiers: [PatientIdentifier(value: "321-54-9876", type: "SS")],
            names: [PersonName(family: "Quillfeather", given: ["Pembertonia"])],
            birthDate: PartialDate(year: 1950, month: 3, day: 9), sex: .female,
            addresses: [PostalAddress(lines: ["9 Canary Row"], city: "Lowestoftia", state: "IL", postalCode: "60614")],
            telecoms: [ContactPoint(system: .phone, value: "555-0199-2323"), ContactPoint(system: .email, value: "quill@example.org")])
        let time = Date(timeIntervalSince1970: 1_714_566_896)
        func source(_ position: Int) -> EventSource {
            EventSource(system: "ICU^HOSP", messageControlID: "DEID-\(run)", position: position)
        }
        return [
            IdentifiedEvent(
                patient: patient, encounter: "VISIT-DEID-77", kind: .observation,
                code: Coding(system: "http://loinc.org", code: "8867-4", display: "Heart rate"),
                value: .quantity(value: 104, unit: "/min"), effectiveTime: time, recordedTime: time, source: source(1)),
            IdentifiedEvent(
                patient: patient, encounter: "VISIT-DEID-77", kind: .note,
                code: Coding(system: "http://loinc.org", code: "11506-3", display: "Progress note"),
                value: .text("Pembertonia Quillfeather (MRN-DEID-88231) confused; daughter called from 555-0199-2323."),
                effectiveTime: time.addingTimeInterval(600), recordedTime: time.addingTimeInterval(660), source: source(2)),
        ]
    }

    @Test func noCanaryLeavesThroughTheTopicLogsOrMetrics() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let run = UUID().uuidString.prefix(8)
            let events = Self.events(run: String(run))
            let http = try ServiceProcess.freePort()
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("deid-\(UUID()).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            let keyring = #"{"current":"t1","keys":{"t1":"\#(Data(repeating: 5, count: 32).base64EncodedString())"}}"#
            let process = Process()
            process.executableURL = ServiceProcess.binaries.appendingPathComponent("vigil-deid")
            process.environment = ServiceProcess.environment.merging([
                "VIGIL_DEID_PG_URL": ServiceProcess.url(role: "deid", database: database.name),
                "VIGIL_DEID_HTTP_PORT": "\(http)", "VIGIL_LOG_LEVEL": "trace", "VIGIL_DEID_KEYRING": keyring,
                "VIGIL_DEID_KEYRING_FILE": "",
            ]) { _, new in new }
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            let ready = try await ServiceProcess.poll(port: http, path: "/ready", timeout: .seconds(40)) { $0?.status == 200 }
            try #require(ready?.status == 200, "vigil-deid became ready")

            let producer = try TestKafka.producer()
            try await producer.sendBatch(
                try events.map { event in
                    let (headers, data) = try CloudEvent.encode(event: event, source: "test")
                    return OutboundRecord(
                        topic: Topics.identifiedEvents, key: Array(event.patient.partitionKey.utf8), value: data,
                        headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) })
                })
            await producer.close(timeout: .seconds(1))

            // Read clinical.events.v1 until both of this run's events are there.
            let wanted = Set(events.map(\.id.rawValue))
            let consumer = try TestKafka.consumer(group: TestKafka.uniqueName("deid-check"), topics: [Topics.events])
            var found: [KafkaMessage] = []
            let deadline = ContinuousClock.now + .seconds(40)
            for await batch in consumer.batches {
                found += batch.filter { message in
                    message.headers.contains { $0.key == "ce_id" && $0.value.map { wanted.contains(String(decoding: $0, as: UTF8.self)) } == true }
                }
                if found.count >= wanted.count || ContinuousClock.now > deadline { break }
            }
            await consumer.close()
            #expect(found.count == 2, "both events de-identified")
            let metrics = try await ServiceProcess.poll(port: http, path: "/metrics", timeout: .seconds(10)) { $0?.status == 200 }
            kill(process.processIdentifier, SIGTERM)
            _ = await ServiceProcess.waitForExit(process, timeout: .seconds(15))
            try handle.close()
            let logText = try String(contentsOf: log, encoding: .utf8)
            try? FileManager.default.removeItem(at: log)

            var outputs = [logText, metrics?.body ?? ""]
            for message in found {
                outputs.append(String(decoding: message.value, as: UTF8.self))
                outputs.append(message.key.map { String(decoding: $0, as: UTF8.self) } ?? "")
                outputs += message.headers.map { String(decoding: $0.value ?? [], as: UTF8.self) }
                let clinical = try ClinicalEvent.decode(headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value)
                #expect(clinical.deidentification?.policyName == "safe-harbor")
                #expect(clinical.demographics?.ageYears == 74)
                #expect(clinical.patient.keyID == "t1")
            }
            #expect(metrics?.body.contains("vigil_deid_events_out_total") == true)
            #expect(logText.split(separator: "\n").count > 10, "trace logging produced output to check")
            for canary in Self.canaries {
                for text in outputs { #expect(!text.contains(canary), "\(canary) leaked") }
            }
        }
    }
}
