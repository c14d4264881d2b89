import Foundation
import Inference
import Testing
import VigilAudit
import VigilKafka
import VigilModelCore

/// De-identified events through patient state and the scores, against PostgreSQL: the record for the last
/// input carries the full NEWS2 with its parts; a replay adds nothing; a retraction re-scores without the
/// withdrawn value.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct InferenceStateTests {
    static let patient = try! Pseudonym.derive(
        assigningAuthority: "HOSP", patientID: "42", key: Array(repeating: 1, count: 32), keyID: "k1")
    static let t0 = Date(timeIntervalSince1970: 1_714_566_000)

    static func event(_ position: Int, _ code: String, _ value: EventValue, minutes: Double, kind: EventKind = .observation, revises: EventID? = nil) -> ClinicalEvent {
        ClinicalEvent(
            patient: patient, kind: kind, revises: revises, code: Coding(system: "http://loinc.org", code: code), value: value,
            effectiveTime: t0.addingTimeInterval(minutes * 60), recordedTime: t0.addingTimeInterval(minutes * 60),
            source: EventSource(system: "ICU", messageControlID: "STATE-1", position: position))
    }

    static func message(_ event: ClinicalEvent) throws -> KafkaMessage {
        let (headers, data) = try CloudEvent.encode(event: event, source: "test")
        return KafkaMessage(topic: "t", partition: 0, offset: 0, key: nil, value: data, headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) })
    }

    static func records(_ outcomes: [StageOutcome]) throws -> [RiskRecord] {
        try outcomes.flatMap { outcome -> [RiskRecord] in
            guard case .produce(let records) = outcome else { return [] }
            return try records.map { try RiskRecord.decode(headers: $0.headers.map { ($0.key, $0.value ?? []) }, data: $0.value) }
        }
    }

    @Test func scoresFollowTheStateReplaysAddNothingRetractionsRescore() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let registry = ModelRegistry(pool: database.pool, audit: AuditLog(pool: database.pool))
            for model in ScoreModels.all { try await registry.register(model, kind: "rule-score", status: .active) }
            let handler = InferenceHandler(
                store: ObservationStore(pool: database.pool), registry: registry, outputTopic: "risk", logger: TestKafka.logger)
            let rr = Self.event(1, "9279-1", .quantity(value: 26, unit: "/min"), minutes: 0)
            let events = [
                rr,
                Self.event(2, "59408-5", .quantity(value: 91, unit: "%"), minutes: 1),
                Self.event(3, "3151-8", .quantity(value: 2, unit: "L/min"), minutes: 2),
                Self.event(4, "8480-6", .quantity(value: 95, unit: "mm[Hg]"), minutes: 3),
                Self.event(5, "8867-4", .quantity(value: 115, unit: "/min"), minutes: 4),
                Self.event(6, "67775-7", .coded(Coding(system: "local", code: "A")), minutes: 5),
                Self.event(7, "8310-5", .quantity(value: 39.2, unit: "Cel"), minutes: 6),
            ]
            let first = try Self.records(try await handler.handle(try events.map(Self.message)))
            let news2 = first.filter { $0.scoreName == "news2" }
            #expect(news2.count == 7, "one NEWS2 per changed input")
            // RR 26 → 3, SpO2 91 → 3, O2 → 2, SBP 95 → 2, HR 115 → 2, alert → 0, 39.2 °C → 2.
            let last = try #require(news2.max { ($0.eventTime ?? .distantPast) < ($1.eventTime ?? .distantPast) })
            #expect(last.value == 14)
            #expect(last.band == "high" && last.upperBound == 14)
            #expect(last.eventTime == events.last?.effectiveTime)
            #expect(last.modelStatus == .active)
            #expect(last.parts == ["news2.rr": 3, "news2.spo2": 3, "news2.o2": 2, "news2.sbp": 2, "news2.hr": 2, "news2.acvpu": 0, "news2.temp": 2])
            #expect(last.missingInputs.isEmpty)
            #expect(Set(last.inputEventIDs) == Set(events.map(\.id)))
            #expect(last.model.id == "news2" && last.model.version == "rcp-2017.1")
            #expect(first.contains { $0.scoreName == "qsofa" && $0.value == 2 }, "RR ≥ 22 and SBP ≤ 100")

            // Replaying the same events stores nothing and publishes the same records again (a redelivery after
            // a crash must not lose them; notify absorbs them by id).
            let replayed = try Self.records(try await handler.handle(try events.map(Self.message)))
            #expect(Set(replayed.map(\.id)) == Set(first.map(\.id)))
            #expect(
                try await database.pool.query("SELECT count(*)::int FROM infer.risk_records").first?.decode(Int.self, at: 0)
                    == first.count)

            // RR entered in error: the re-score at the retraction's time has no RR.
            let retraction = Self.event(8, "9279-1", .quantity(value: 26, unit: "/min"), minutes: 10, kind: .retraction, revises: rr.id)
            let after = try Self.records(try await handler.handle([try Self.message(retraction)]))
            let rescored = try #require(after.first { $0.scoreName == "news2" })
            #expect(rescored.value == 11)
            #expect(rescored.missingInputs.contains("news2.rr"))
            #expect(rescored.upperBound == 14, "RR could add up to 3")
        }
    }

    /// The event's W3C trace context goes on with the risk records it caused.
    @Test func traceContextIsCarriedOn() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let registry = ModelRegistry(pool: database.pool, audit: AuditLog(pool: database.pool))
            for model in ScoreModels.all { try await registry.register(model, kind: "rule-score", status: .active) }
            let handler = InferenceHandler(
                store: ObservationStore(pool: database.pool), registry: registry, outputTopic: "risk", logger: TestKafka.logger)
            let trace = try #require(TraceParent("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"))
            let (headers, data) = try CloudEvent.encode(
                event: Self.event(1, "9279-1", .quantity(value: 26, unit: "/min"), minutes: 0), source: "test", traceparent: trace)
            let outcomes = try await handler.handle([
                KafkaMessage(topic: "t", partition: 0, offset: 0, key: nil, value: data, headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) })
            ])
            guard case .produce(let records)? = outcomes.first else { throw CancellationError() }
            #expect(!records.isEmpty)
            for record in records {
                let value = record.headers.first { $0.key == "traceparent" }?.value
                #expect(value.map { String(decoding: $0, as: UTF8.self) } == trace.rawValue)
            }
        }
    }

    /// A value that arrives late for an already-scored time revises that time's record; one message's results
    /// (one time) are scored once, not once per result.
    @Test func lateInputsReviseTheRecordForTheirTime() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let registry = ModelRegistry(pool: database.pool, audit: AuditLog(pool: database.pool))
            for model in ScoreModels.all { try await registry.register(model, kind: "rule-score", status: .active) }
            let handler = InferenceHandler(
                store: ObservationStore(pool: database.pool), registry: registry, outputTopic: "risk", logger: TestKafka.logger)
            let together = [
                Self.event(1, "9279-1", .quantity(value: 26, unit: "/min"), minutes: 30),
                Self.event(2, "8867-4", .quantity(value: 115, unit: "/min"), minutes: 30),
            ]
            let first = try Self.records(try await handler.handle(try together.map(Self.message))).filter { $0.scoreName == "news2" }
            #expect(first.count == 1, "one time, one record")
            #expect(first.first?.value == 5 && first.first?.revision == 1 && first.first?.supersedes == nil)
            let late = Self.event(3, "8480-6", .quantity(value: 95, unit: "mm[Hg]"), minutes: 30)
            let revised = try Self.records(try await handler.handle([try Self.message(late)])).filter { $0.scoreName == "news2" }
            let second = try #require(revised.first)
            #expect(second.revision == 2 && second.supersedes == first.first?.id)
            #expect(second.value == 7 && second.eventTime == late.effectiveTime)
            // Replaying everything stores nothing and publishes only the current revision again.
            let replayed = try Self.records(try await handler.handle(try (together + [late]).map(Self.message)))
            #expect(Set(replayed.filter { $0.scoreName == "news2" }.map(\.id)) == [second.id])
            // A GCS later re-scores NEWS2 from the same inputs: another time, so another record (and id).
            let gcs = Self.event(4, "9269-2", .quantity(value: 14, unit: "{score}"), minutes: 40)
            let again = try Self.records(try await handler.handle([try Self.message(gcs)])).filter { $0.scoreName == "news2" }
            #expect(again.count == 1 && again.first?.id != second.id && again.first?.value == 7)
            let stored = try await database.pool.query(
                "SELECT count(*)::int FROM infer.risk_records WHERE score = 'news2'")
            #expect(try stored.first?.decode(Int.self, at: 0) == 3)
        }
    }
}

/// The registry: a stopped model produces nothing within a second, a shadow model's records say so (and so
/// never alert), and only a model-admin with a reason may change a status, audited.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct ModelRegistryTests {
    @Test func stopShadowAndAuditedPromotion() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let audit = AuditLog(pool: database.pool)
            let registry = ModelRegistry(pool: database.pool, audit: audit)
            for model in ScoreModels.all { try await registry.register(model, kind: "rule-score", status: .active) }
            let handler = InferenceHandler(
                store: ObservationStore(pool: database.pool), registry: registry, outputTopic: "risk", logger: TestKafka.logger)
            let news2 = ScoreModels.reference("news2")
            await #expect(throws: RegistryError.self) {
                try await registry.setStatus(news2, to: .stopped, actor: "user:intern", roles: [], reason: "testing the switch")
            }
            await #expect(throws: RegistryError.self) {
                try await registry.setStatus(news2, to: .stopped, actor: "user:lead", roles: ["model-admin"], reason: "")
            }
            // Another instance has the status cached as active; the stop reaches it once its cache is a second old.
            let other = ModelRegistry(pool: database.pool, audit: audit)
            #expect(try await other.status(of: news2) == .active)
            try await registry.setStatus(news2, to: .stopped, actor: "user:lead", roles: ["model-admin"], reason: "drift alarm")
            try await Task.sleep(for: .milliseconds(1050))
            #expect(try await other.status(of: news2) == .stopped, "within a second everywhere")
            let event = InferenceStateTests.event(1, "9279-1", .quantity(value: 30, unit: "/min"), minutes: 0)
            let outcomes = try await handler.handle([try InferenceStateTests.message(event)])
            let records = try InferenceStateTests.records(outcomes)
            #expect(!records.contains { $0.scoreName == "news2" }, "a stopped model produces nothing")
            #expect(records.contains { $0.scoreName == "qsofa" }, "the others go on")

            try await registry.setStatus(news2, to: .shadow, actor: "user:lead", roles: ["model-admin"], reason: "re-validate first")
            let later = InferenceStateTests.event(2, "8867-4", .quantity(value: 120, unit: "/min"), minutes: 5)
            let shadow = try InferenceStateTests.records(try await handler.handle([try InferenceStateTests.message(later)]))
            #expect(shadow.first { $0.scoreName == "news2" }?.modelStatus == .shadow)

            let rows = try await database.pool.query(
                "SELECT actor, coalesce(reason, '') FROM audit.log WHERE action = 'model.status' ORDER BY seq")
            let changes = try rows.map { try $0.decode((String, String).self) }
            #expect(changes.map(\.0) == ["user:lead", "user:lead"])
            #expect(changes.map(\.1) == ["drift alarm", "re-validate first"])
        }
    }
}

/// The learned model online: a challenge stay streamed as coded events, in shadow, scored hour by hour with
/// the same probabilities as the offline path; a stopped model produces nothing.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct SepsisOnlineStateTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/sepsis")

    /// The last measured value of every hour as one event at minute 59 (so the hour is complete when scored).
    static func events(_ stay: SepsisStayFile, hours: Range<Int>) -> [ClinicalEvent] {
        var position = 0
        var events: [ClinicalEvent] = []
        for hour in hours {
            for (column, value) in stay.hours[hour].values.enumerated() where !value.isNaN {
                let spec = SepsisColumns.measured[column]
                let time = InferenceStateTests.t0.addingTimeInterval(Double(hour) * 3600 + 3540)
                position += 1
                var event = ClinicalEvent(
                    patient: InferenceStateTests.patient, kind: .observation,
                    code: Coding(system: "http://loinc.org", code: spec.loinc[0]), value: .quantity(value: value, unit: spec.unit),
                    effectiveTime: time, recordedTime: time,
                    source: EventSource(system: "ICU", messageControlID: "SEPSIS-\(hour)", position: position))
                event.demographics = Demographics(ageYears: Int(stay.hours[hour].statics.age), sex: .female)
                events.append(event)
            }
        }
        return events
    }

    @Test func shadowSepsisRecordsMatchTheOfflinePath() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let registry = ModelRegistry(pool: database.pool, audit: AuditLog(pool: database.pool))
            let model = try SepsisModel.bundled()
            try await registry.register(model.reference, kind: "tree-ensemble", card: model.card, status: .shadow)
            let handler = InferenceHandler(
                store: ObservationStore(pool: database.pool), registry: registry, sepsis: model, outputTopic: "risk",
                logger: TestKafka.logger)
            let stay = try SepsisStayFile(contentsOf: Self.fixtures.appendingPathComponent("p100013.psv"))
            // The fixture's first hour has only demographics; the anchor is the first measured hour.
            let first = try #require(stay.hours.firstIndex { $0.values.contains { !$0.isNaN } })
            let events = Self.events(stay, hours: first..<(first + 8))
            let records = try InferenceStateTests.records(try await handler.handle(try events.map(InferenceStateTests.message)))
                .filter { $0.scoreName == "sepsis-risk" }
            #expect(!records.isEmpty)
            #expect(records.allSatisfy { $0.modelStatus == .shadow && $0.model == model.reference })
            #expect(records.allSatisfy { $0.inputsHash != nil && $0.band != nil })
            // Offline, the same hours as a file starting at the anchor hour (female, the file's age).
            var builder = SepsisFeatureBuilder()
            for offset in 0..<8 {
                let hour = stay.hours[first + offset]
                var statics = hour.statics
                (statics.age, statics.gender, statics.hospitalAdmissionHours) = (Double(Int(statics.age)), 0, .nan)
                let expected = model.probability(builder.features(for: hour.values, statics: statics, iculos: Double(offset + 1)))
                builder.append(hour.values)
                guard hour.values.contains(where: { !$0.isNaN }) else { continue }  // no event, no record
                let time = InferenceStateTests.t0.addingTimeInterval(Double(first + offset) * 3600 + 3540)
                let last = try #require(records.last { $0.eventTime == time }, "hour \(offset)")
                #expect(abs(last.value - expected) < 1e-12, "hour \(offset): online \(last.value), offline \(expected)")
            }
            // Stopped: new events produce no sepsis record (the bedside scores are not registered here either).
            try await registry.setStatus(model.reference, to: .stopped, actor: "dr.admin", roles: ["model-admin"], reason: "stopped for the test")
            let later = Self.events(stay, hours: (first + 8)..<(first + 9))
            let none = try InferenceStateTests.records(try await handler.handle(try later.map(InferenceStateTests.message)))
            #expect(none.filter { $0.scoreName == "sepsis-risk" }.isEmpty)
        }
    }
}

/// Retention: quiet patients' state goes, recent patients keep theirs, records stay for their retention.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct InferenceJanitorTests {
    @Test func quietPatientsAndOldObservationsArePurged() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let pool = database.pool
            func observation(_ id: String, _ patient: String, effectiveDaysAgo: Double, receivedDaysAgo: Double) async throws {
                _ = try await pool.execute(
                    """
                    INSERT INTO infer.observations (event_id, pseudonym, code, effective_time, value, received_at)
                    VALUES (\(id), \(patient), '8867-4', now() - make_interval(secs => \(effectiveDaysAgo * 86_400)), 80,
                            now() - make_interval(secs => \(receivedDaysAgo * 86_400)))
                    """)
            }
            try await observation("quiet-1", "p-quiet", effectiveDaysAgo: 12, receivedDaysAgo: 12)
            try await observation("quiet-2", "p-quiet", effectiveDaysAgo: 10, receivedDaysAgo: 10)
            try await observation("long-old", "p-long", effectiveDaysAgo: 20, receivedDaysAgo: 20)
            try await observation("long-new", "p-long", effectiveDaysAgo: 1, receivedDaysAgo: 1)
            try await observation("recent", "p-recent", effectiveDaysAgo: 2, receivedDaysAgo: 2)
            _ = try await pool.execute(
                """
                INSERT INTO infer.risk_records
                  (pseudonym, score, model_version, event_time, record_id, value, input_hash, record, created_at, revision)
                VALUES ('p-quiet', 'news2', 'v', now(), 'r-old', 1, 'h1', '{}', now() - interval '400 days', 1),
                       ('p-quiet', 'news2', 'v', now(), 'r-new', 1, 'h2', '{}', now() - interval '100 days', 2)
                """)
            let janitor = InferenceJanitor(
                pool: pool, stateRetention: .seconds(9 * 86_400), recordRetention: .seconds(365 * 86_400), logger: TestKafka.logger)
            #expect(try await janitor.purge() == 4, "two quiet, one 19 days older than its patient's newest, one old record")
            let left = try await pool.query("SELECT event_id FROM infer.observations ORDER BY event_id")
            #expect(try left.map { try $0.decode(String.self, at: 0) } == ["long-new", "recent"])
            let records = try await pool.query("SELECT record_id FROM infer.risk_records")
            #expect(try records.map { try $0.decode(String.self, at: 0) } == ["r-new"])
            #expect(try await janitor.purge() == 0)
        }
    }
}
