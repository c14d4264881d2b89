import Foundation
import HTTPTypes
import Hummingbird
import Inference
import Logging
import NIOCore
import ServiceLifecycle
import Synchronization
import Testing
import VigilAudit
import VigilKafka
import VigilModelCore

/// The narrative beside the stream: risk records leave the handler while the model endpoint is still
/// thinking; the narrative then arrives linked to the notable record, stored once and marked AI-generated.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct NarrativeWiringTests {
    /// Answers every chat-completions call once the test opens the gate, recording the prompts.
    final class GatedEndpoint: Sendable {
        let state = Mutex<(open: Bool, prompts: [String])>((false, []))

        func respond(_ request: Request) async throws -> Response {
            let body = String(buffer: try await request.body.collect(upTo: 1 << 20))
            state.withLock { $0.prompts.append(body) }
            while !state.withLock({ $0.open }) { try await Task.sleep(for: .milliseconds(10)) }
            let reply = try JSONSerialization.data(withJSONObject: [
                "choices": [["index": 0, "finish_reason": "stop", "message": ["role": "assistant", "content": "Deteriorating: RR and SpO2."]]]
            ])
            return Response(
                status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: reply)))
        }
    }

    @Test func narrativesFollowNotableRecordsWithoutHoldingThemUp() async throws {
        let endpoint = GatedEndpoint()
        let router = Router()
        router.post("**") { request, _ in try await endpoint.respond(request) }
        let port = Mutex(0)
        let quiet = Logger(label: "narrative-wiring") { _ in SwiftLogNoOpLogHandler() }
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in port.withLock { $0 = channel.localAddress?.port ?? 0 } }, logger: quiet)
        let server = ServiceGroup(services: [app], logger: quiet)
        let serverTask = Task { try await server.run() }
        defer { serverTask.cancel() }
        while port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(10)) }

        try await TestDatabase.withFresh(migrated: true) { database in
            let registry = ModelRegistry(pool: database.pool, audit: AuditLog(pool: database.pool))
            for model in ScoreModels.all { try await registry.register(model, kind: "rule-score", status: .active) }
            let writer = try #require(
                try NarrativeWriter.make(environment: [
                    "VIGIL_NARRATIVE_ENDPOINT": "http://127.0.0.1:\(port.withLock { $0 })",
                    "VIGIL_NARRATIVE_DEPLOYMENT": "clinical-fm", "VIGIL_NARRATIVE_API_KEY": "test-key",
                    "VIGIL_NARRATIVE_TIMEOUT_MS": "5000",
                ]))
            let sent = Mutex<[OutboundRecord]>([])
            let publisher = NarrativePublisher(writer: writer, pool: database.pool, logger: TestKafka.logger) { record in
                sent.withLock { $0.append(record) }
            }
            let group = ServiceGroup(services: [publisher], logger: quiet)
            let publisherTask = Task { try await group.run() }
            let handler = InferenceHandler(
                store: ObservationStore(pool: database.pool), registry: registry, narratives: publisher, outputTopic: "risk",
                logger: TestKafka.logger)
            let events = [
                InferenceStateTests.event(1, "9279-1", .quantity(value: 26, unit: "/min"), minutes: 0),
                InferenceStateTests.event(2, "59408-5", .quantity(value: 91, unit: "%"), minutes: 0),
                InferenceStateTests.event(3, "8480-6", .quantity(value: 95, unit: "mm[Hg]"), minutes: 0),
            ]
            // The records come back while the endpoint still holds the request.
            let records = try InferenceStateTests.records(try await handler.handle(try events.map(InferenceStateTests.message)))
            let news2 = try #require(records.first { $0.scoreName == "news2" })
            #expect(news2.band == "high", "RR 3 + SpO2 3 + SBP 2")
            #expect(sent.withLock { $0.isEmpty })
            endpoint.state.withLock { $0.open = true }
            while sent.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(20)) }

            let record = try #require(sent.withLock { $0.first })
            let narrative = try RiskNarrative.decode(headers: record.headers.map { ($0.key, $0.value ?? []) }, data: record.value)
            #expect(narrative.riskRecordID == records.first { $0.band.map(NarrativePublisher.notableBands.contains) == true }?.id)
            #expect(narrative.aiGenerated && narrative.text.contains("Deteriorating"))
            let prompt = try #require(endpoint.state.withLock { $0.prompts.first })
            #expect(!prompt.contains(InferenceStateTests.patient.rawValue), "no pseudonym in the prompt")
            #expect(!prompt.contains(events[0].id.rawValue), "no event id in the prompt")
            let stored = try await database.pool.query(
                "SELECT ai_generated FROM infer.narratives WHERE risk_record_id = \(narrative.riskRecordID.rawValue)")
            #expect(try stored.first?.decode(Bool.self, at: 0) == true)
            await group.triggerGracefulShutdown()
            _ = await publisherTask.result
        }
    }
}
