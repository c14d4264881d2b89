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
    ///
    /// One transaction and a few statements per batch, with the outcome of applying the events one by one in
    /// order: a revision retracts its original only if the original was stored before it.
    public func apply(_ events: [ClinicalEvent]) async throws -> [ClinicalEvent] {
        let patients = PatientUpdates.merged(events)
        let inputs = events.filter { Self.inputCodes.contains($0.code.code) || $0.kind == .retraction }
        guard !patients.isEmpty || !inputs.isEmpty else { return [] }
        return try await pool.withTransaction { connection in
            try await PatientUpdates.remember(patients, on: connection)
            return try await Self.store(inputs, on: connection)
        }
    }

    private static func store(_ inputs: [ClinicalEvent], on connection: PostgresConnection) async throws -> [ClinicalEvent] {
        var first: [String: Int] = [:]
        for (index, event) in inputs.enumerated() where event.kind != .retraction {
            if first[event.id.rawValue] == nil { first[event.id.rawValue] = index }
        }
        let inserted = try await insert(inputs.filter { $0.kind != .retraction }, on: connection)
        // An original stored by this batch after its revision was not there yet when the revision came.
        func before(_ original: String, _ index: Int) -> Bool {
            !(inserted.contains(original) && first[original]! > index)
        }
        let revisions = inputs.enumerated().compactMap { index, event in
            event.kind.isRevision ? event.revises.map { (index, $0.rawValue) } : nil
        }
        let retracted = revisions.filter { before($0.1, $0.0) }.map(\.1)
        if !retracted.isEmpty {
            try await connection.execute(
                "UPDATE infer.observations SET retracted = true WHERE event_id = ANY(\(PostgresTextArray(retracted))::text[])")
        }
        var known: Set<String> = []
        let withdrawn = inputs.filter { $0.kind == .retraction }.compactMap { $0.revises?.rawValue }
        if !withdrawn.isEmpty {
            let rows = try await connection.query(
                "SELECT event_id FROM infer.observations WHERE event_id = ANY(\(PostgresTextArray(withdrawn))::text[])")
            known = Set(try rows.map { try $0.decode(String.self, at: 0) })
        }
        return inputs.enumerated().filter { index, event in
            guard event.kind == .retraction else { return true }
            guard let original = event.revises?.rawValue else { return false }
            return known.contains(original) && before(original, index)
        }.map(\.element)
    }

    /// Inserts the observations not stored yet, in one statement; the ids it inserted.
    private static func insert(_ events: [ClinicalEvent], on connection: PostgresConnection) async throws -> Set<String> {
        guard !events.isEmpty else { return [] }
        let values = events.map { Self.value($0.value) }
        let rows = try await connection.query(
            """
            INSERT INTO infer.observations (event_id, pseudonym, code, effective_time, value, text_value, revises, unit)
            SELECT * FROM unnest(\(PostgresTextArray(events.map(\.id.rawValue)))::text[],
                                 \(PostgresTextArray(events.map(\.patient.rawValue)))::text[],
                                 \(PostgresTextArray(events.map(\.code.code)))::text[],
                                 \(PostgresTextArray(events.map { $0.effectiveTime.postgresText }))::timestamptz[],
                                 \(PostgresTextArray(values.map { $0.0?.postgresText }))::float8[],
                                 \(PostgresTextArray(values.map(\.1)))::text[],
                                 \(PostgresTextArray(events.map { $0.revises?.rawValue }))::text[],
                                 \(PostgresTextArray(values.map(\.2)))::text[])
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id
            """)
        return Set(try rows.map { try $0.decode(String.self, at: 0) })
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
