import Foundation
import VigilModelCore
import VigilPostgres

/// Scores stored de-identified observations (`infer.observations`, `infer.patients`) with a sepsis model that
/// may never have run live: the records it would have produced, at every time a sepsis input arrived, through
/// the same feature code and scoring the service uses. What `vigil shadow --candidate-model` replays.
public struct SepsisRescorer: Sendable {
    let model: SepsisModel
    let store: ObservationStore

    public init(model: SepsisModel, pool: PostgresPool) {
        self.model = model
        store = ObservationStore(pool: pool)
    }

    /// Records for the patients with sepsis inputs received in [from, to) (either end open when nil), stamped
    /// `shadow`: a candidate never alerts anyone.
    public func records(from: Date?, to: Date?) async throws -> [RiskRecord] {
        let codes = PostgresTextArray(Array(SepsisColumns.indexByLOINC.keys))
        let rows = try await store.pool.query(
            """
            SELECT DISTINCT pseudonym FROM infer.observations
            WHERE NOT retracted AND code = ANY(\(codes)::text[])
              AND (\(from == nil) OR received_at >= \(from ?? .distantPast))
              AND (\(to == nil) OR received_at < \(to ?? .distantFuture))
            ORDER BY 1
            """)
        var records: [RiskRecord] = []
        let cache = SepsisStayCache()
        for row in rows {
            guard let patient = Pseudonym(try row.decode(String.self, at: 0)) else { continue }
            let (anchor, statics) = try await store.sepsisContext(patient)
            guard let anchor else { continue }
            let state = try await store.load(patient, from: anchor, to: anchor.addingTimeInterval(14 * 86_400))
            let times = Set(state.observations.filter { SepsisColumns.indexByLOINC[$0.code] != nil }.map(\.time)).sorted()
            for time in times {
                // What infer had when it scored `time`: nothing from later.
                let known = PatientObservations(state.observations.filter { $0.time <= time })
                let scored = InferenceHandler.sepsisScore(
                    model, state: known, anchor: anchor, statics: statics, asOf: time, patient: patient, cache: cache)
                records.append(
                    RiskRecord(
                        id: RiskRecord.deriveID(
                            model: scored.model, scoreName: scored.name, patient: patient, eventTime: time,
                            inputEventIDs: scored.inputs, inputsHash: scored.inputsHash),
                        patient: patient, model: scored.model, scoreName: scored.name, value: scored.value,
                        parts: scored.parts, missingInputs: scored.missing, inputEventIDs: scored.inputs,
                        computedAt: time, eventTime: time, band: scored.band, modelStatus: .shadow,
                        inputsHash: scored.inputsHash, observed: scored.observed))
            }
        }
        return records
    }
}
