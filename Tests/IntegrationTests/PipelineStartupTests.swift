import Foundation
import Ingestion
import Testing

extension PipelineTests {
    /// All four services started before their broker exists: each says not-ready on /ready, becomes ready once
    /// the broker is up, and together they carry messages through to an alert.
    @Suite struct PipelineStartupTests {
        @Test func servicesStartedBeforeTheBrokerWaitThenCarryEventsToAnAlert() async throws {
            try await PipelineHarness.with(startBroker: false) { pipeline in
                for service in PipelineHarness.Service.allCases { try pipeline.start(service) }
                for service in PipelineHarness.Service.allCases {
                    let waiting = try await ServiceProcess.poll(
                        port: pipeline.httpPorts[service]!, path: "/ready", timeout: .seconds(40)
                    ) { $0 != nil }
                    #expect(waiting?.status == 503, "\(service.executable) not ready without a broker")
                    #expect(waiting?.body.contains("\"kafka\":\"waiting\"") == true, "\(waiting?.body ?? "no answer")")
                }
                try pipeline.startBroker()
                for service in PipelineHarness.Service.allCases { try await pipeline.waitReady(service) }
                let codes = try await MLLPClient.codes(
                    port: pipeline.mllpPort,
                    messages: PipelineMessages.hl7(at: Date().addingTimeInterval(-300), run: "late-broker"))
                #expect(codes == ["AA", "AA", "AA"])
                let alerted = try await pipeline.wait(timeout: .seconds(120)) {
                    try await pipeline.count(
                        "SELECT count(*)::int FROM notify.outbox WHERE published_at IS NOT NULL") > 0
                }
                #expect(alerted, "the messages became a published alert")
            }
        }
    }
}
