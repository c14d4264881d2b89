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
        // Online, hour 0 is the patient's first observation; this stay's first row has none, so the offline
        // stay starts at its first row with data, ICULOS counted from there (see the note on ICU admission).
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
        let first = try #require(file.hours.firstIndex { $0.values.contains { !$0.isNaN } })
        let trimmed = [lines[0]] + lines[(first + 1)...].enumerated().map { index, line in
            var fields = line.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            fields[39] = String(index + 1)  // ICULOS
            return fields.joined(separator: "|")
        }
        let offline = try SepsisStayFile(text: trimmed.joined(separator: "\n")).features().map(model.probability)
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
            let statics = file.hours[0].statics
            let anchor = time(try #require(scoredHours.first))
            _ = try await database.pool.execute(
                """
                INSERT INTO infer.patients (pseudonym, age_years, sex, admitted_at)
                VALUES (\(patient.rawValue), \(statics.age), \(statics.gender == 1 ? "male" : "female"),
                        \(anchor.addingTimeInterval(statics.hospitalAdmissionHours * 3600)))
                """)

            let records = try await SepsisRescorer(model: model, pool: database.pool).records(from: nil, to: nil)
            #expect(records.count == scoredHours.count, "one record per hour with inputs")
            #expect(records.allSatisfy { $0.modelStatus == .shadow && $0.model == model.reference })
            for (record, hour) in zip(records.sorted { $0.eventTime! < $1.eventTime! }, scoredHours) {
                #expect(record.eventTime == time(hour))
                #expect(
                    abs(record.value - offline[hour - first]) < 1e-12, "hour \(hour): \(record.value) vs \(offline[hour - first])")
            }
            #expect(try await SepsisRescorer(model: model, pool: database.pool).records(from: Date(), to: nil).isEmpty)
        }
    }
}
