import Foundation
import Inference
import Notification
import Testing
import VigilModelCore

/// `vigil shadow`'s core on replayed challenge stays with their labels: the stays are scored by the shipped
/// sepsis model and stored as infer stores them, their onsets as notify records coded diagnoses; a stricter
/// candidate threshold raises fewer alerts, and every figure and the diff agree with a direct computation.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct ShadowReplayTests {
    struct Stay {
        var patient: Pseudonym
        var times: [Date]
        var scores: [Double]
        var onset: Date?

        func firstAt(_ threshold: Double) -> Date? { scores.firstIndex { $0 >= threshold }.map { times[$0] } }
    }

    static let stays: [Stay] = {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("samples/icu-stays")
        let model = try! SepsisModel.bundled()
        let names = try! FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".psv") }
            .sorted().prefix(80)
        return names.enumerated().map { index, name in
            let file = try! SepsisStayFile(contentsOf: folder.appendingPathComponent(name))
            // Each patient's clock is shifted differently, as de-identification does.
            let start = Date(timeIntervalSince1970: 1_700_000_000 + Double(index) * 86_400 * 3)
            let messages = SepsisStayMessages(stay: name, file: file, start: start)
            return Stay(
                patient: try! Pseudonym.derive(
                    assigningAuthority: "CINC", patientID: name, key: Array(repeating: 7, count: 32), keyID: "k1"),
                times: file.hours.indices.map { start.addingTimeInterval(Double($0) * 3600 + 1800) },
                scores: file.features().map(model.probability), onset: messages.onset)
        }
    }()

    static func policy(threshold: Double, version: String) throws -> AlertPolicy {
        try AlertPolicyLoader.parse(
            """
            apiVersion: vigil.notify/v1
            kind: AlertPolicy
            metadata: {name: shadow-test, version: "\(version)"}
            defaults:
              maxRecordAge: 1h
              staleInputs: 4h
              expireAfter: 10000h
              remind: {first: 30m, factor: 2, max: 4h}
              snooze: {max: 60m, allowedFor: [low, medium, high]}
              overrideHold: 8h
              correctionGrace: 2m
            targets: [ward-doctor]
            routes:
              - {units: ["*"], ladder: icu}
            ladders:
              icu:
                - {after: 0m, targets: [ward-doctor]}
            conditions:
              - id: sepsis
                models: [{id: sepsis-lgbm, versions: ["1.*"]}]
                score: sepsis-risk
                clear: {below: 0.0001, for: 10000h}
                rules:
                  - {id: sepsis.alert, when: {score: {gte: \(threshold)}}, severity: high}
            """)
    }

    @Test func aStricterThresholdRaisesFewerAlertsAndTheDiffListsTheEpisodesThatChanged() async throws {
        let stays = Self.stays
        let model = try SepsisModel.bundled().reference
        let (low, high) = (0.02, 0.05)
        #expect(stays.contains { $0.onset != nil }, "some stays have sepsis")
        #expect(stays.contains { s in s.scores.contains { $0 >= low } && !s.scores.contains { $0 >= high } })

        try await TestDatabase.withFresh(migrated: true) { database in
            var stored = 0
            for stay in stays {
                for (time, score) in zip(stay.times, stay.scores) {
                    let record = RiskRecord(
                        id: EventID.derive(namespace: "shadow-test", parts: [stay.patient.rawValue, "\(time.timeIntervalSince1970)"]),
                        patient: stay.patient, model: model, scoreName: "sepsis-risk", value: score,
                        inputEventIDs: [], computedAt: Date(), eventTime: time, modelStatus: .active)
                    let json = String(decoding: try VigilJSON.encode(record), as: UTF8.self)
                    _ = try await database.pool.execute(
                        """
                        INSERT INTO infer.risk_records (pseudonym, score, model_version, event_time, record_id, value, input_hash, record)
                        VALUES (\(stay.patient.rawValue), 'sepsis-risk', \(model.version), \(time), \(record.id.rawValue),
                                \(score), \(record.id.rawValue), \(json))
                        """)
                    stored += 1
                }
                if let onset = stay.onset {
                    let diagnosis = ClinicalEvent(
                        patient: stay.patient, kind: .observation, code: ClinicalOutcome.diagnosis,
                        value: .coded(Coding(system: Coding.System.snomedCT, code: "91302008")), effectiveTime: onset,
                        recordedTime: onset, source: EventSource(system: "test", messageControlID: stay.patient.rawValue, position: 0))
                    #expect(ClinicalOutcome.condition(of: diagnosis) == "sepsis")
                    try await OutcomeStore(pool: database.pool).record(diagnosis, condition: "sepsis")
                }
            }
            let source = ShadowSource(pool: database.pool)
            let records = try await source.records(from: nil, to: nil)
            #expect(records.count == stored)
            #expect(try await source.records(from: Date().addingTimeInterval(60), to: nil).isEmpty, "the window applies")
            let onsets = try await source.onsets(for: records, conditions: ["sepsis"])
            let report = try ShadowReport.make(
                records: records, onsets: onsets, production: try Self.policy(threshold: low, version: "low"),
                candidate: try Self.policy(threshold: high, version: "high"), model: nil)

            // Direct computation: one episode per patient, opened by the first record at or above the threshold.
            let row = try #require(report.figures.first { $0.condition == "sepsis" })
            let hours = Double(stays.reduce(0) { $0 + $1.times.count })
            for (figures, threshold) in [(row.production, low), (row.candidate, high)] {
                let opened = stays.compactMap { s in s.firstAt(threshold).map { (s, $0) } }
                #expect(figures.episodes == opened.count)
                #expect(abs(figures.alertsPer100PatientDays - Double(opened.count) / (hours / 24) * 100) < 1e-9)
                let septic = stays.filter { $0.onset != nil }
                let counting = opened.filter { s, at in
                    s.onset.map { at >= $0.addingTimeInterval(-48 * 3600) && at <= $0.addingTimeInterval(3 * 3600) } ?? false
                }
                #expect(figures.outcomePatients == septic.count)
                #expect(figures.truePositiveEpisodes == counting.count)
                #expect(figures.ppv == (opened.isEmpty ? nil : Double(counting.count) / Double(opened.count)))
                #expect(figures.sensitivity == Double(counting.count) / Double(septic.count))
                let leads = counting.map { s, at in s.onset!.timeIntervalSince(at) / 3600 }.sorted()
                let median = leads.isEmpty ? nil : leads.count % 2 == 1
                    ? leads[leads.count / 2] : (leads[leads.count / 2 - 1] + leads[leads.count / 2]) / 2
                #expect(figures.medianLeadHours == median)
            }
            #expect(row.candidate.episodes < row.production.episodes, "stricter means fewer")

            // The diff: exactly the patients whose first qualifying hour moved or vanished.
            var expected: [String: [String]] = [:]
            for stay in stays where stay.firstAt(low) != stay.firstAt(high) {
                expected[stay.patient.rawValue] = [stay.firstAt(low).map { _ in "production-only" }, stay.firstAt(high).map { _ in "candidate-only" }]
                    .compactMap { $0 }
            }
            var found: [String: [String]] = [:]
            for change in report.diff { found[change.patient.rawValue, default: []].append(change.kind) }
            #expect(found.mapValues { $0.sorted() } == expected.mapValues { $0.sorted() })
            for change in report.diff where change.kind == "production-only" {
                let stay = try #require(stays.first { $0.patient == change.patient })
                #expect(change.production?.openedAt == stay.firstAt(low))
            }
            #expect(report.markdown().contains("## Episodes that differ (\(report.diff.count))"))

            // The same configuration on both sides, records in another order: no difference at all.
            let same = try ShadowReport.make(
                records: records.reversed(), onsets: onsets, production: try Self.policy(threshold: low, version: "low"),
                candidate: try Self.policy(threshold: low, version: "low"), model: nil)
            #expect(same.diff.isEmpty)
            #expect(same.figures.map(\.production) == same.figures.map(\.candidate))
            #expect(same.figures.map(\.production) == report.figures.map(\.production))
        }
    }
}
