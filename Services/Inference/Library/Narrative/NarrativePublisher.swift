import Foundation
import Logging
import Metrics
import ServiceLifecycle
import VigilKafka
import VigilModelCore
import VigilPostgres

/// Turns notable risk records into narratives beside the stream, never in it: the scoring path only offers
/// work to a bounded buffer (the oldest request is dropped when it is full) and returns at once, so a slow or
/// failing model endpoint cannot delay a risk record or an alert. Each narrative is stored in
/// `infer.narratives` once per risk record and published on the risk topic, linked by `riskRecordID`.
public final class NarrativePublisher: Service, Sendable {
    public struct Request: Sendable {
        public var summary: PatientSummary
        public var riskRecordID: EventID
        public var patient: Pseudonym

        public init(summary: PatientSummary, riskRecordID: EventID, patient: Pseudonym) {
            self.summary = summary
            self.riskRecordID = riskRecordID
            self.patient = patient
        }
    }

    /// Bands worth a narrative: the ones a clinician may be paged for.
    public static let notableBands: Set<String> = ["medium", "high", "positive", "stage2", "stage3"]

    let writer: NarrativeWriter
    let pool: PostgresPool
    let send: @Sendable (OutboundRecord) async throws -> Void
    let topic: String
    let logger: Logger
    private let stream: AsyncStream<Request>
    private let continuation: AsyncStream<Request>.Continuation

    public init(
        writer: NarrativeWriter, pool: PostgresPool, topic: String = Topics.risk, capacity: Int = 256, logger: Logger,
        send: @escaping @Sendable (OutboundRecord) async throws -> Void
    ) {
        self.writer = writer
        self.pool = pool
        self.topic = topic
        self.logger = logger
        self.send = send
        (stream, continuation) = AsyncStream.makeStream(of: Request.self, bufferingPolicy: .bufferingNewest(capacity))
    }

    /// Queues a narrative for the record; returns immediately.
    public func offer(_ request: Request) {
        if case .dropped = continuation.yield(request) {
            Counter(label: "vigil_infer_narrative_dropped_total").increment()
        }
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.drain() }
            group.addTask {
                try? await gracefulShutdown()
                self.continuation.finish()
            }
            group.addTask { try? await self.writer.run() }
        }
    }

    func drain() async {
        for await request in stream {
            let narrative = await writer.narrative(
                for: request.summary, riskRecordID: request.riskRecordID, patient: request.patient)
            do {
                try await publish(narrative)
            } catch {
                // The narrative is an aid, not a record the alert depends on: count it and go on.
                Counter(label: "vigil_infer_narrative_publish_failures_total").increment()
                logger.warning("narrative not published", metadata: ["error.type": "\(type(of: error))"])
            }
        }
    }

    func publish(_ narrative: RiskNarrative) async throws {
        let (headers, data) = try CloudEvent.encode(event: narrative, source: "vigil-infer")
        let inserted = try await pool.query(
            """
            INSERT INTO infer.narratives (risk_record_id, pseudonym, narrative_id, ai_generated, source, record)
            VALUES (\(narrative.riskRecordID.rawValue), \(narrative.patient.rawValue), \(narrative.id.rawValue),
                    \(narrative.aiGenerated), \(narrative.source), \(String(decoding: data, as: UTF8.self)))
            ON CONFLICT (risk_record_id) DO NOTHING RETURNING narrative_id
            """)
        guard !inserted.isEmpty else { return }
        try await send(
            OutboundRecord(
                topic: topic, key: Array(narrative.patient.rawValue.utf8), value: data,
                headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) }))
    }
}
