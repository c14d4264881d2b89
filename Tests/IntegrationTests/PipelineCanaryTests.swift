import Foundation
import Ingestion
import Testing
import VigilModelCore
import VigilRuntime

/// The four services as processes, one after another (each test runs the whole pipeline; side by side they would
/// starve a 2-core machine). `VIGIL_FAULT_SCALE` lengthens the streams (`make faults`).
@Suite(
    .serialized, .enabled(if: PipelineHarness.available, "needs make test's environment and built executables"),
    .timeLimit(.minutes(15)))
struct PipelineTests {}

extension PipelineTests {
    /// HL7 (ADT, vitals, a free-text note) over MLLP and a FHIR bundle (vitals, a DocumentReference) over HTTP, full of
    /// canary PHI, through all four services at trace level until NEWS2 alerts: no canary may appear outside the
    /// PHI zone: not on the de-identified, risk, alert or governance topics, in any service's log or /metrics,
    /// nor in any row of the infer, notify or audit schemas.
    @Suite struct PipelineCanaryTests {
        @Test func noCanaryLeavesThePHIZone() async throws {
            try await PipelineHarness.with(logLevel: "trace") { pipeline in
                try await pipeline.startAll()
                let outside = Topics.all.filter { !Topics.phiZone.contains($0) }
                try await TopicTap.reading(pipeline.kafka, topics: [Topics.identifiedEvents] + outside) { tap in
                    try await run(pipeline, tap, outside: outside)
                }
            }
        }

        private func run(_ pipeline: PipelineHarness, _ tap: TopicTap, outside: [String]) async throws {
            let run = String(UUID().uuidString.prefix(6))
            let time = Date().addingTimeInterval(-300)
            let codes = try await MLLPClient.codes(
                port: pipeline.mllpPort, messages: PipelineMessages.hl7(at: time, run: run))
            #expect(codes == ["AA", "AA", "AA"])
            let response = try await HTTP1Client.request(
                "POST", port: pipeline.fhirPort, path: "/fhir",
                headers: [("Content-Type", "application/fhir+json"), ("X-Vigil-Source-System", "canary-test")],
                body: try PipelineMessages.fhir(at: time, run: run))
            #expect(response.status == 202, "FHIR bundle accepted: \(response.status)")

            let alerted = try await pipeline.wait(timeout: .seconds(120)) {
                try await pipeline.count("SELECT count(*)::int FROM notify.alert_events WHERE action = 'raised'") > 0
                    && !tap.ids(on: Topics.alerts).isEmpty
            }
            try #require(alerted, "NEWS2 raised an alert and notify published it")
            // Everything in flight has landed: each identified event came out of deid or was quarantined, every
            // risk record is on its topic and decided.
            let settled = try await pipeline.wait(timeout: .seconds(60)) {
                let quarantined = try await pipeline.strings(
                    "SELECT substr(subject, 7) FROM audit.log WHERE action = 'deid.quarantine'")
                let out = Set(tap.ids(on: Topics.events)).union(quarantined)
                let records = try await pipeline.count("SELECT count(*)::int FROM infer.risk_records")
                let decided = try await pipeline.count("SELECT count(*)::int FROM notify.risk_decisions")
                return out.isSuperset(of: tap.ids(on: Topics.identifiedEvents))
                    && Set(tap.ids(on: Topics.risk)).count == records && decided == records
            }
            #expect(settled, "the pipeline settled")

            // The PHI zone holds the canaries (so the checks below can fail): both MRNs reached the identified topic.
            let identified = tap.texts(on: Topics.identifiedEvents).joined(separator: "\n")
            #expect(identified.contains(PipelineMessages.hl7MRN), "the HL7 MRN is on \(Topics.identifiedEvents)")
            #expect(identified.contains(PipelineMessages.fhirMRN), "the FHIR MRN is on \(Topics.identifiedEvents)")
            #expect(!tap.messages(on: Topics.events).isEmpty && !tap.messages(on: Topics.risk).isEmpty)
            let notes = tap.messages(on: Topics.events).filter { message in
                (try? ClinicalEvent.decode(
                    headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value))?
                    .kind == .note
            }
            #expect(notes.count >= 1, "a de-identified note reached \(Topics.events)")

            var places: [(String, String)] = outside.flatMap { topic in tap.texts(on: topic).map { (topic, $0) } }
            for service in PipelineHarness.Service.allCases {
                let log = pipeline.log(service)
                #expect(log.split(separator: "\n").count > 10, "\(service.executable) logged at trace level")
                places.append(("\(service.executable) log", log))
                let metrics = await pipeline.metrics(service)
                #expect(metrics != nil, "\(service.executable) /metrics")
                places.append(("\(service.executable) /metrics", metrics ?? ""))
            }
            for (table, rows) in try await pipeline.dump(schemas: ["infer", "notify", "audit"]) {
                places += rows.map { (table, $0) }
            }
            #expect(places.contains { $0.0 == "notify.alert_events" }, "the alert is in notify.alert_events")
            for canary in PipelineMessages.canaries {
                let leaks = Set(places.filter { $0.1.contains(canary) }.map(\.0)).sorted()
                #expect(leaks.isEmpty, "\(canary) leaked to \(leaks.joined(separator: ", "))")
            }
        }
    }
}
