import Foundation
import VigilModelCore
import VigilPostgres

/// What notify knows about a patient and a model outside the episodes: the unit (routing), discharge, and
/// the stop switch.
public struct PatientFacts: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The record's context; also moves the patient's newest event time forward to the record's.
    public func context(for record: RiskRecord) async throws -> RecordContext {
        try await pool.withConnection { try await context(for: record, on: $0) }
    }

    /// The same inside the caller's transaction.
    func context(for record: RiskRecord, on connection: PostgresConnection) async throws -> RecordContext {
        let rows = try await connection.query(
            """
            WITH p AS (
              INSERT INTO notify.patients (patient, latest_event_time) VALUES (\(record.patient.rawValue), \(record.eventTime))
              ON CONFLICT (patient) DO UPDATE
                SET latest_event_time = greatest(notify.patients.latest_event_time, excluded.latest_event_time)
              RETURNING unit, admitted_at, discharged_at, latest_event_time)
            SELECT p.unit, p.discharged_at IS NOT NULL AND (p.admitted_at IS NULL OR p.discharged_at >= p.admitted_at),
                   coalesce((SELECT status = 'stopped' FROM notify.model_gates WHERE model_id = \(record.model.id)), false),
                   p.latest_event_time
            FROM p
            """)
        guard let row = rows.first else { return RecordContext() }
        let (unit, discharged, stopped, latest) = try row.decode((String?, Bool, Bool, Date?).self)
        return RecordContext(unit: unit, discharged: discharged, modelStopped: stopped, latestEventTime: latest)
    }

    /// Keeps each patient's age band and sex (the cohorts monitoring cuts by): one statement per batch, and
    /// no write when nothing changed.
    public func remember(_ demographics: [Pseudonym: Demographics]) async throws {
        guard !demographics.isEmpty else { return }
        let rows = demographics.sorted { $0.key.rawValue < $1.key.rawValue }
        _ = try await pool.execute(
            """
            INSERT INTO notify.patients (patient, age_band, sex)
            SELECT p, nullif(a, ''), nullif(s, '') FROM unnest(\(PostgresTextArray(rows.map(\.key.rawValue)))::text[],
                                 \(PostgresTextArray(rows.map { Cohort.ageBand($0.value.ageYears) ?? "" }))::text[],
                                 \(PostgresTextArray(rows.map { $0.value.sex?.rawValue ?? "" }))::text[]) AS t(p, a, s)
            ON CONFLICT (patient) DO UPDATE SET age_band = excluded.age_band, sex = excluded.sex, updated_at = now()
              WHERE notify.patients.age_band IS DISTINCT FROM excluded.age_band
                 OR notify.patients.sex IS DISTINCT FROM excluded.sex
            """)
    }

    /// Records an admission, transfer or discharge.
    public func update(_ patient: Pseudonym, unit: String?, admittedAt: Date?, dischargedAt: Date?) async throws {
        _ = try await pool.execute(
            """
            INSERT INTO notify.patients (patient, unit, admitted_at, discharged_at) VALUES
              (\(patient.rawValue), \(unit), \(admittedAt), \(dischargedAt))
            ON CONFLICT (patient) DO UPDATE SET
              unit = coalesce(excluded.unit, notify.patients.unit),
              admitted_at = coalesce(excluded.admitted_at, notify.patients.admitted_at),
              discharged_at = CASE WHEN excluded.admitted_at IS NOT NULL THEN NULL
                                   ELSE coalesce(excluded.discharged_at, notify.patients.discharged_at) END,
              updated_at = now()
            """)
    }
}
