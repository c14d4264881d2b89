import Foundation
import VigilModelCore
import VigilPostgres

/// `infer.patients`: the de-identified demographics and the hospital and ICU admission times the sepsis model
/// reads, written once per batch.
struct PatientUpdates: Equatable {
    var age: Double?
    var sex: String?
    var admitted: Date?
    var icu: Date?

    /// What a batch tells about each patient, as if its events were applied one by one: the latest age and
    /// sex, the first admission and ICU admission times.
    static func merged(_ events: [ClinicalEvent]) -> [(Pseudonym, PatientUpdates)] {
        var order: [Pseudonym] = []
        var merged: [Pseudonym: PatientUpdates] = [:]
        for event in events {
            let update = PatientUpdates(
                age: event.demographics?.ageYears.map(Double.init), sex: event.demographics?.sex?.rawValue,
                admitted: event.kind == .admission ? event.effectiveTime : nil,
                icu: event.kind == .transfer ? event.effectiveTime : nil)
            guard update != PatientUpdates() else { continue }
            guard var known = merged[event.patient] else {
                order.append(event.patient)
                merged[event.patient] = update
                continue
            }
            known.age = update.age ?? known.age
            known.sex = update.sex ?? known.sex
            known.admitted = known.admitted ?? update.admitted
            known.icu = known.icu ?? update.icu
            merged[event.patient] = known
        }
        // Sorted: concurrent batches lock the rows in the same order.
        return order.sorted { $0.rawValue < $1.rawValue }.map { ($0, merged[$0]!) }
    }

    /// One statement for the batch; no write for a patient when nothing changed.
    static func remember(_ patients: [(Pseudonym, PatientUpdates)], on connection: PostgresConnection) async throws {
        guard !patients.isEmpty else { return }
        _ = try await connection.execute(
            """
            INSERT INTO infer.patients (pseudonym, age_years, sex, admitted_at, icu_admitted_at)
            SELECT * FROM unnest(\(PostgresTextArray(patients.map(\.0.rawValue)))::text[],
                                 \(PostgresTextArray(patients.map { $0.1.age?.postgresText }))::float8[],
                                 \(PostgresTextArray(patients.map(\.1.sex)))::text[],
                                 \(PostgresTextArray(patients.map { $0.1.admitted?.postgresText }))::timestamptz[],
                                 \(PostgresTextArray(patients.map { $0.1.icu?.postgresText }))::timestamptz[])
            ON CONFLICT (pseudonym) DO UPDATE SET
              age_years = coalesce(excluded.age_years, infer.patients.age_years),
              sex = coalesce(excluded.sex, infer.patients.sex),
              admitted_at = coalesce(infer.patients.admitted_at, excluded.admitted_at),
              icu_admitted_at = coalesce(infer.patients.icu_admitted_at, excluded.icu_admitted_at), updated_at = now()
            WHERE excluded.age_years IS DISTINCT FROM infer.patients.age_years
               OR excluded.sex IS DISTINCT FROM infer.patients.sex
               OR (infer.patients.admitted_at IS NULL AND excluded.admitted_at IS NOT NULL)
               OR (infer.patients.icu_admitted_at IS NULL AND excluded.icu_admitted_at IS NOT NULL)
            """)
    }
}
