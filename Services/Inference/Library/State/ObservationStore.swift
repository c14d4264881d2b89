import Foundation
import VigilModelCore
import VigilPostgres

/// `infer.observations`: the score inputs of every patient, idempotent by event id.
public struct ObservationStore: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// Stores what the scores read; returns the events that changed a patient's state (new observations,
    /// corrections, retractions). A replayed event changes nothing and is not returned.
    public func apply(_ events: [ClinicalEvent]) async throws -> [ClinicalEvent] {
        var changed: [ClinicalEvent] = []
        for event in events where VitalCode.all.contains(event.code.code) || event.kind == .retraction {
            let (number, text) = Self.value(event.value)
            try await pool.withTransaction { connection in
                if event.kind.isRevision, let original = event.revises {
                    // The original stops counting; a correction brings its own value.
                    try await connection.execute(
                        "UPDATE infer.observations SET retracted = true WHERE event_id = \(original.rawValue)")
                }
                guard event.kind != .retraction else {
                    let rows = try await connection.query(
                        "SELECT 1 FROM infer.observations WHERE event_id = \(event.revises?.rawValue ?? "")")
                    if !rows.isEmpty { changed.append(event) }
                    return
                }
                let inserted = try await connection.query(
                    """
                    INSERT INTO infer.observations (event_id, pseudonym, code, effective_time, value, text_value, revises)
                    VALUES (\(event.id.rawValue), \(event.patient.rawValue), \(event.code.code), \(event.effectiveTime),
                            \(number), \(text), \(event.revises?.rawValue))
                    ON CONFLICT (event_id) DO NOTHING
                    RETURNING event_id
                    """)
                if !inserted.isEmpty { changed.append(event) }
            }
        }
        return changed
    }

    /// A patient's current observations from `from` to `to`.
    public func load(_ patient: Pseudonym, from: Date, to: Date) async throws -> PatientObservations {
        let rows = try await pool.query(
            """
            SELECT event_id, code, effective_time, value, text_value FROM infer.observations
            WHERE pseudonym = \(patient.rawValue) AND NOT retracted
              AND effective_time >= \(from) AND effective_time <= \(to)
            """)
        return PatientObservations(
            try rows.map { row in
                let (id, code, time, value, text) = try row.decode((String, String, Date, Double?, String?).self)
                return Observation(eventID: id, code: code, time: time, value: value, text: text)
            })
    }

    static func value(_ value: EventValue?) -> (Double?, String?) {
        switch value {
        case .quantity(let number, _)?: (number, nil)
        case .coded(let coding)?: (nil, coding.code)
        case .text(let text)?: (nil, text)
        case nil: (nil, nil)
        }
    }
}
