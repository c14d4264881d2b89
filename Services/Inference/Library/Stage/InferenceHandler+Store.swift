import Foundation
import Metrics
import VigilKafka
import VigilModelCore
import VigilPostgres

extension InferenceHandler {
    typealias Stored = (record: RiskRecord, outbound: OutboundRecord, isNew: Bool)

    /// Stores each result once per (patient, score, model version, event time, inputs); other inputs for the
    /// same time (a late or corrected value) are the next revision, which supersedes the one before. The same
    /// inputs again (a redelivery or a replay) store nothing and give the stored record back, to be published
    /// again: the first delivery may have died before the broker had it. `isNew` tells the two apart.
    /// One transaction for the scoring point: one read of what is stored, one insert of what is new.
    func store(_ results: [Scored], for event: ClinicalEvent, traceparent: TraceParent? = nil) async throws -> [Stored] {
        // Stopped and retired models produce nothing; shadow output is marked and never alerts.
        var kept: [(result: Scored, status: ModelStatus)] = []
        for result in results {
            let status = try await registry.status(of: result.model)
            if status == .active || status == .shadow { kept.append((result, status)) }
        }
        guard !kept.isEmpty else { return [] }
        let time = event.effectiveTime
        let patient = event.patient
        let stored = try await store.pool.withTransaction { connection -> [(record: RiskRecord, data: [UInt8], isNew: Bool)] in
            let rows = try await connection.query(
                """
                SELECT score, model_version, record_id, revision, input_hash,
                       CASE WHEN input_hash = ANY(\(PostgresTextArray(kept.map(\.result.inputsHash.hex)))::text[]) THEN record END
                FROM infer.risk_records
                WHERE pseudonym = \(patient.rawValue) AND event_time = \(time)
                  AND score = ANY(\(PostgresTextArray(kept.map(\.result.name)))::text[])
                ORDER BY revision DESC
                """)
            let previous = try rows.map { try $0.decode((String, String, String, Int, String, String?).self) }
            var out: [(record: RiskRecord, data: [UInt8], isNew: Bool)] = []
            for (result, status) in kept {
                let mine = previous.filter { $0.0 == result.name && $0.1 == result.model.version }
                if let same = mine.first(where: { $0.4 == result.inputsHash.hex })?.5 {
                    let data = Array(same.utf8)
                    out.append((try VigilJSON.decode(RiskRecord.self, from: data), data, false))
                    continue
                }
                let record = RiskRecord(
                    id: RiskRecord.deriveID(
                        model: result.model, scoreName: result.name, patient: patient, eventTime: time,
                        inputEventIDs: result.inputs, inputsHash: result.inputsHash),
                    patient: patient, model: result.model, scoreName: result.name, value: result.value,
                    parts: result.parts, missingInputs: result.missing, inputEventIDs: result.inputs, computedAt: Date(),
                    eventTime: time, band: result.band, upperBound: result.upperBound, modelStatus: status,
                    inputsHash: result.inputsHash, codeVersion: codeVersion, revision: (mine.first?.3 ?? 0) + 1,
                    supersedes: mine.first.flatMap { EventID($0.2) }, observed: result.observed)
                out.append((record, try VigilJSON.encode(record), true))
            }
            try await Self.insert(out.filter(\.isNew).map { ($0.record, $0.data) }, at: time, on: connection)
            return out
        }
        return try zip(kept, stored).map { item, stored in
            // The stored bytes go out as they are, so a record published twice is the same record.
            var envelope = try CloudEvent(payload: stored.record, source: "vigil-infer", traceparent: traceparent)
            envelope.data = stored.data
            let headers = try envelope.kafkaBinary().headers
            if stored.isNew {
                Counter(label: "vigil_infer_risk_records_total", dimensions: [("score", item.result.name), ("band", item.result.band)])
                    .increment()
            } else {
                Counter(label: "vigil_infer_risk_records_republished_total").increment()
            }
            return (
                stored.record,
                OutboundRecord(
                    topic: outputTopic, key: Array(patient.rawValue.utf8), value: stored.data,
                    headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) }),
                stored.isNew
            )
        }
    }

    /// The new records of one scoring point, in one statement.
    private static func insert(
        _ records: [(RiskRecord, [UInt8])], at time: Date, on connection: PostgresConnection
    ) async throws {
        guard !records.isEmpty else { return }
        let r = records.map(\.0)
        _ = try await connection.execute(
            """
            INSERT INTO infer.risk_records
              (pseudonym, score, model_version, event_time, record_id, value, input_hash, record, revision, supersedes)
            SELECT * FROM unnest(\(PostgresTextArray(r.map(\.patient.rawValue)))::text[],
                                 \(PostgresTextArray(r.map(\.scoreName)))::text[],
                                 \(PostgresTextArray(r.map(\.model.version)))::text[],
                                 \(PostgresTextArray(r.map { _ in time.postgresText }))::timestamptz[],
                                 \(PostgresTextArray(r.map(\.id.rawValue)))::text[],
                                 \(PostgresTextArray(r.map { $0.value.postgresText }))::float8[],
                                 \(PostgresTextArray(r.map { $0.inputsHash?.hex }))::text[],
                                 \(PostgresTextArray(records.map { String(decoding: $0.1, as: UTF8.self) }))::text[],
                                 \(PostgresTextArray(r.map { String($0.revision ?? 1) }))::int[],
                                 \(PostgresTextArray(r.map { $0.supersedes?.rawValue }))::text[])
            """)
    }
}
