import Foundation
import Ingestion
import Testing
import VigilRuntime


/// The real `vigil-ingest` at trace level, fed messages full of canary PHI (valid, malformed and invalid,
/// over MLLP and HTTP): none of it may appear in its logs, its metrics, its ACK error texts or its
/// OperationOutcomes.
@Suite(.enabled(if: ServiceProcess.available && TestKafka.available, "needs make test's environment"), .serialized)
struct IngestPrivacyTests {
    static let canaries = [
        "Qwertyson", "Zanzibella", "CANARY-MRN-7731", "19230405", "1923-04-05", "42 Canarywharf Lane", "555-0142-77",
        "canary.patient@example.org", "Xylophonic tremor noted", "987-65-4329",
    ]

    static let adt = Array(
        ("MSH|^~\\&|ADT|HOSP|VIGIL|HOSP|20240301101500||ADT^A01^ADT_A01|PRIV1|P|2.5.1\r"
            + "EVN|A01|20240301101500\r"
            + "PID|1||CANARY-MRN-7731^^^HOSP^MR||Qwertyson^Zanzibella||19230405|F|||42 Canarywharf Lane^^Springfield^IL^62701"
            + "||555-0142-77^PRN^PH^canary.patient@example.org|||||||987-65-4329\r"
            + "PV1|1|I|ICU^1^A|||||||||||||||V-PRIV-1|||||||||||||||||||||||||20240301100000\r").utf8)
    static let oru = Array(
        ("MSH|^~\\&|LAB|HOSP|VIGIL|HOSP|20240301101500||ORU^R01^ORU_R01|PRIV2|P|2.5.1\r"
            + "PID|1||CANARY-MRN-7731^^^HOSP^MR||Qwertyson^Zanzibella||19230405|F\r"
            + "OBR|1||F1|11506-3^Progress note^LN|||20240301101000\r"
            + "OBX|1|TX|11506-3^Progress note^LN||Xylophonic tremor noted in Qwertyson||||||F\r"
            + "OBX|2|NM|8867-4^Heart rate^LN||not-a-number-Qwertyson|/min|||||F\r").utf8)
    /// MSH-9 missing: rejected (AR) with the canaries still in it.
    static let broken = Array(
        ("MSH|^~\\&|ADT|HOSP|VIGIL|HOSP|20240301101500|||PRIV3|P|2.5.1\r"
            + "PID|1||CANARY-MRN-7731^^^HOSP^MR||Qwertyson^Zanzibella||19230405\r").utf8)
    static let patient = Data(
        (#"{"resourceType":"Patient","id":"priv-1","identifier":[{"system":"urn:hosp","value":"CANARY-MRN-7731"}],"#
            + #""name":[{"family":"Qwertyson","given":["Zanzibella"]}],"birthDate":"1923-04-05","#
            + #""telecom":[{"system":"email","value":"canary.patient@example.org"}]}"#).utf8)
    /// An invalid gender code whose value is a canary: the OperationOutcome must name the place, not the value.
    static let invalidPatient = Data(
        #"{"resourceType":"Patient","id":"priv-2","gender":"Qwertyson","name":[{"family":"Zanzibella"}]}"#.utf8)

    @Test func noCanaryReachesLogsMetricsOrErrorTexts() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let ports = (
                http: try ServiceProcess.freePort(), mllp: try ServiceProcess.freePort(), fhir: try ServiceProcess.freePort()
            )
            let log = FileManager.default.temporaryDirectory.appendingPathComponent("ingest-\(UUID()).log")
            FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            let process = Process()
            process.executableURL = ServiceProcess.binaries.appendingPathComponent("vigil-ingest")
            process.environment = ServiceProcess.environment.merging([
                "VIGIL_INGEST_PG_URL": ServiceProcess.url(role: "ingest", database: database.name),
                "VIGIL_INGEST_HTTP_PORT": "\(ports.http)", "VIGIL_MLLP_PORT": "\(ports.mllp)",
                "VIGIL_FHIR_PORT": "\(ports.fhir)", "VIGIL_LOG_LEVEL": "trace", "VIGIL_TOPIC_PARTITIONS": "1",
            ]) { _, new in new }
            process.standardOutput = handle
            process.standardError = handle
            try process.run()
            defer { if process.isRunning { process.terminate() } }
            let ready = try await ServiceProcess.poll(port: ports.http, path: "/ready", timeout: .seconds(40)) {
                $0?.status == 200
            }
            try #require(ready?.status == 200, "vigil-ingest became ready")

            let acks = try await MLLPClient.send(port: ports.mllp, messages: [Self.adt, Self.oru, Self.broken])
            #expect(acks.map(MLLPClient.ackCode) == ["AA", "AA", "AR"])
            var texts = acks.map { String(decoding: $0, as: UTF8.self) }
            for (body, path, status) in [(Self.patient, "/fhir/Patient", 202), (Self.invalidPatient, "/fhir/Patient", 422)] {
                let response = try await HTTP1Client.request(
                    "POST", port: ports.fhir, path: path, headers: [("Content-Type", "application/fhir+json")],
                    body: Array(body))
                #expect(response.status == status)
                texts.append(response.text)
            }
            let metrics = try await ServiceProcess.poll(port: ports.http, path: "/metrics", timeout: .seconds(10)) { $0?.status == 200 }
            #expect(metrics?.body.contains("vigil_ingest_messages_total") == true)
            texts.append(metrics?.body ?? "")

            kill(process.processIdentifier, SIGTERM)
            #expect(await ServiceProcess.waitForExit(process, timeout: .seconds(15)))
            try handle.close()
            let logText = try String(contentsOf: log, encoding: .utf8)
            try? FileManager.default.removeItem(at: log)
            #expect(logText.split(separator: "\n").count > 10, "trace logging produced output to check")
            // ACK text for the AR and the OperationOutcome for the 422 must not repeat the canaries either.
            for canary in Self.canaries {
                #expect(!logText.contains(canary), "log contains \(canary)")
                for text in texts { #expect(!text.contains(canary) || text.hasPrefix("MSH"), "reply or metrics contains \(canary)") }
            }
            // ACKs copy MSH-3..6 from the message but never its PHI-bearing segments.
            for ack in acks {
                let text = String(decoding: ack, as: UTF8.self)
                for canary in Self.canaries { #expect(!text.contains(canary), "ACK contains \(canary)") }
            }
        }
    }
}
