import Foundation
import VigilModelCore
import VigilPostgres

/// `infer.observations`: the score inputs of every patient, idempotent by event id.
public struct ObservationStore: Sendable {
    public let pool: PostgresPool

    public init(pool: PostgresPool) {
        self.pool = pool
    }

    /// The codes some score or model reads.
    static let inputCodes = VitalCode.all.union(SepsisColumns.indexByLOINC.keys)

    /// Stores what the scores read; returns the events to score: every score input and every retraction of a
    /// known observation, stored now or before. A redelivered event is returned again because the delivery
    /// before may have died between this commit and its records reaching the broker (scoring it again finds
    /// the stored records and publishes them again; consumers absorb the duplicates by id).
    public func apply(_ events: [ClinicalEvent]) async throws -> [ClinicalEvent] {
        var changed: [ClinicalEvent] = []
        for event in events { try await remember(event) }
        for event in events where Self.inputCodes.contains(event.code.code) || event.kind == .retraction {
            let (number, text, unit) = Self.value(event.value)
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
                _ = try await connection.execute(
                    """
                    INSERT INTO infer.observations (event_id, pseudonym, code, effective_time, value, text_value, revises, unit)
                    VALUES (\(event.id.rawValue), \(event.patient.rawValue), \(event.code.code), \(event.effectiveTime),
                            \(number), \(text), \(event.revises?.rawValue), \(unit))
                    ON CONFLICT (event_id) DO NOTHING
                    """)
                changed.append(event)
            }
        }
        return changed
    }

    /// A patient's current observations from `from` to `to`.
    public func load(_ patient: Pseudonym, from: Date, to: Date) async throws -> PatientObservations {
        let rows = try await pool.query(
            """
            SELECT event_id, code, effective_time, value, text_value, unit FROM infer.observations
            WHERE pseudonym = \(patient.rawValue) AND NOT retracted
              AND effective_time >= \(from) AND effective_time <= \(to)
            """)
        return PatientObservations(
            try rows.map { row in
                let (id, code, time, value, text, unit) = try row.decode((String, String, Date, Double?, String?, String?).self)
                return Observation(eventID: id, code: code, time: time, value: value, text: text, unit: unit)
            })
    }

    /// Keeps the de-identified demographics and the hospital admission time the sepsis model reads.
    func remember(_ event: ClinicalEvent) async throws {
        let admitted = event.kind == .admission ? event.effectiveTime : nil
        let icu = event.kind == .transfer ? event.effectiveTime : nil
        let age = event.demographics?.ageYears.map(Double.init)
        let sex = event.demographics?.sex?.rawValue
        guard admitted != nil || icu != nil || age != nil || sex != nil else { return }
        _ = try await pool.execute(
            """
            INSERT INTO infer.patients (pseudonym, age_years, sex, admitted_at, icu_admitted_at) VALUES
              (\(event.patient.rawValue), \(age), \(sex), \(admitted), \(icu))
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

    /// What the sepsis model knows of a patient besides observations, and the ICU anchor: ICU admission (the
    /// first transfer) when known and not after the first observation, else the first observation.
    public func sepsisContext(_ patient: Pseudonym) async throws -> (anchor: Date?, statics: SepsisStatics) {
        let rows = try await pool.query(
            """
            SELECT (SELECT min(effective_time) FROM infer.observations WHERE pseudonym = \(patient.rawValue) AND NOT retracted),
                   p.age_years, p.sex, p.admitted_at, p.icu_admitted_at
            FROM (SELECT 1) AS one LEFT JOIN infer.patients p ON p.pseudonym = \(patient.rawValue)
            """)
        guard let row = rows.first else { return (nil, SepsisStatics()) }
        let (first, age, sex, admitted, icu) = try row.decode((Date?, Double?, String?, Date?, Date?).self)
        let anchor = Self.anchor(firstObservation: first, icuAdmission: icu)
        var statics = SepsisStatics(age: age ?? .nan)
        statics.gender = sex == "male" ? 1 : sex == "female" ? 0 : .nan
        if let admitted, let anchor { statics.hospitalAdmissionHours = admitted.timeIntervalSince(anchor) / 3600 }
        return (anchor, statics)
    }

    /// A transfer after the first observation is a move within the stay, not the ICU admission.
    static func anchor(firstObservation: Date?, icuAdmission: Date?) -> Date? {
        guard let first = firstObservation else { return nil }
        guard let icu = icuAdmission, icu <= first else { return first }
        return icu
    }

    static func value(_ value: EventValue?) -> (Double?, String?, String?) {
        switch value {
        case .quantity(let number, let unit)?: (number, nil, unit)
        case .coded(let coding)?: (nil, coding.code, nil)
        case .text(let text)?: (nil, text, nil)
        case nil: (nil, nil, nil)
        }
    }
}
