import Foundation
import VigilModelCore
import VigilPostgres

/// Confirmed outcomes by patient and condition (`notify.outcomes`): what alerts are judged against.
public struct OutcomeStore: Sendable {
    let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Records a coded diagnosis; a redelivery changes nothing.
    public func record(_ event: ClinicalEvent, condition: String) async throws {
        _ = try await pool.execute(
            """
            INSERT INTO notify.outcomes (event_id, patient, condition, onset)
            VALUES (\(event.id.rawValue), \(event.patient.rawValue), \(condition), \(event.effectiveTime))
            ON CONFLICT (event_id) DO NOTHING
            """)
    }

    /// A retracted diagnosis no longer counts; a correction replaces its onset.
    public func revise(_ revised: EventID, with event: ClinicalEvent) async throws {
        if event.kind == .correction, let condition = ClinicalOutcome.condition(of: event) {
            _ = try await pool.execute(
                "UPDATE notify.outcomes SET onset = \(event.effectiveTime), condition = \(condition) WHERE event_id = \(revised.rawValue)")
        } else {
            _ = try await pool.execute("UPDATE notify.outcomes SET retracted = true WHERE event_id = \(revised.rawValue)")
        }
    }

    /// The earliest confirmed onset per patient of a condition, for the given patients (all when nil).
    public func onsets(condition: String, patients: [Pseudonym]? = nil) async throws -> [Pseudonym: Date] {
        let rows = try await pool.query(
            """
            SELECT patient, min(onset) FROM notify.outcomes
            WHERE condition = \(condition) AND NOT retracted
              AND (\(patients == nil) OR patient = ANY(\(PostgresTextArray((patients ?? []).map(\.rawValue)))::text[]))
            GROUP BY patient
            """)
        var result: [Pseudonym: Date] = [:]
        for row in rows {
            let (patient, onset) = try row.decode((String, Date).self)
            if let pseudonym = Pseudonym(patient) { result[pseudonym] = onset }
        }
        return result
    }
}
