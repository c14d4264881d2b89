import Foundation
import Inference
import Notification
import Testing
import VigilModelCore

/// A candidate model replayed over stored de-identified observations scores exactly what the offline path
/// scores for the same stay: one record per hour, equal to the model on that hour's offline features.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct SepsisRescorerTests {
    @Test func storedObservationsRescoreLikeTheOfflineStay() async throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sepsis/p100013.psv")
        let file = try SepsisStayFile(contentsOf: url)
        let model = try SepsisModel.bundled()
        let offline = file.features().map(model.probability)
        let patient = try Pseudonym.derive(
            assigningAuthority: "CINC", patientID: "p100013", key: Array(repeating: 9, count: 32), keyID: "k1")
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        func time(_ hour: Int) -> Date { start.addingTimeInterval(Double(hour) * 3600 + 1800) }

        try await TestDatabase.withFresh(migrated: true) { database in
            var scoredHours: [Int] = []
            for (hour, row) in file.hours.enumerated() {
                var any = false
                for (column, value) in row.values.enumerated() where !value.isNaN {
                    let spec = SepsisColumns.measured[column]
                    _ = try await database.pool.execute(
                        """
                        INSERT INTO infer.observations (event_id, pseudonym, code, effective_time, value, unit)
                        VALUES (\("e-\(hour)-\(column)"), \(patient.rawValue), \(spec.loinc[0]), \(time(hour)), \(value), \(spec.unit))
                        """)
                    any = true
                }
                if any { scoredHours.append(hour) }
            }
            // ICU admission at the start of ICU hour 1, as the replay's ADT^A02 says; the stay's first row has no
            // measurement, so anchoring at the first observation instead would shift every hour and ICULOS.
            #expect(scoredHours.first != 0)
            let statics = file.hours[0].statics
            _ = try await database.pool.execute(
                """
                INSERT INTO infer.patients (pseudonym, age_years, sex, admitted_at, icu_admitted_at)
                VALUES (\(patient.rawValue), \(statics.age), \(statics.gender == 1 ? "male" : "female"),
                        \(start.addingTimeInterval(statics.hospitalAdmissionHours * 3600)), \(start))
                """)

            let records = try await SepsisRescorer(model: model, pool: database.pool).records(from: nil, to: nil)
            #expect(records.count == scoredHours.count, "one record per hour with inputs")
            #expect(records.allSatisfy { $0.modelStatus == .shadow && $0.model == model.reference })
            for (record, hour) in zip(records.sorted { $0.eventTime! < $1.eventTime! }, scoredHours) {
                #expect(record.eventTime == time(hour))
                #expect(abs(record.value - offline[hour]) < 1e-12, "hour \(hour): \(record.value) vs \(offline[hour])")
            }
            #expect(try await SepsisRescorer(model: model, pool: database.pool).records(from: Date(), to: nil).isEmpty)
        }
    }

    /// The ICU anchor is the first transfer when it comes before the first observation; a later transfer is a
    /// move within the stay and the first observation stays the anchor.
    @Test func theICUAdmissionAnchorsTheHours() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let store = ObservationStore(pool: database.pool)
            typealias E = InferenceStateTests
            let transfer = E.event(0, "ADT", .text("A02"), minutes: 0, kind: .transfer)
            let heartRate = E.event(1, "8867-4", .quantity(value: 90, unit: "/min"), minutes: 150)
            _ = try await store.apply([transfer, heartRate])
            #expect(try await store.sepsisContext(E.patient).anchor == E.t0)
        }
        try await TestDatabase.withFresh(migrated: true) { database in
            let store = ObservationStore(pool: database.pool)
            typealias E = InferenceStateTests
            let heartRate = E.event(1, "8867-4", .quantity(value: 90, unit: "/min"), minutes: 10)
            let transfer = E.event(0, "ADT", .text("A02"), minutes: 300, kind: .transfer)
            _ = try await store.apply([heartRate, transfer])
            #expect(try await store.sepsisContext(E.patient).anchor == E.t0.addingTimeInterval(600))
        }
    }
}
