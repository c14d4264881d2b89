import Foundation
import Inference
import Testing
import VigilAudit
import VigilKafka
import VigilModelCore

/// vigil-infer killed between committing its state and the broker acknowledging its records: the stage runner
/// stores no offset, so the events come again, and (StageHandler's contract) a record handled twice, as after a
/// crash, must still lead to its outputs. The two crash points of `InferenceHandler`, played deterministically.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct InferenceCrashFaultTests {
    static let vitals = [
        InferenceStateTests.event(1, "9279-1", .quantity(value: 27, unit: "/min"), minutes: 0),
        InferenceStateTests.event(2, "59408-5", .quantity(value: 90, unit: "%"), minutes: 0),
        InferenceStateTests.event(3, "8480-6", .quantity(value: 88, unit: "mm[Hg]"), minutes: 0),
        InferenceStateTests.event(4, "8867-4", .quantity(value: 132, unit: "/min"), minutes: 0),
    ]

    static func handler(_ database: TestDatabase) async throws -> InferenceHandler {
        let registry = ModelRegistry(pool: database.pool, audit: AuditLog(pool: database.pool))
        for model in ScoreModels.all { try await registry.register(model, kind: "rule-score", status: .active) }
        return InferenceHandler(
            store: ObservationStore(pool: database.pool), registry: registry, outputTopic: "risk",
            logger: TestKafka.logger)
    }

    @Test func killedAfterStoringObservationsTheRedeliveredEventsAreStillScored() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let handler = try await Self.handler(database)
            // The first delivery got as far as committing the observations; then SIGKILL.
            _ = try await handler.store.apply(Self.vitals)
            let redelivered = try InferenceStateTests.records(
                try await handler.handle(try Self.vitals.map(InferenceStateTests.message)))
            #expect(
                redelivered.contains { $0.scoreName == "news2" && $0.value >= 7 }, "NEWS2 for the redelivered vitals")
        }
    }

    @Test func killedAfterStoringRecordsTheRedeliveredEventsRepublishThem() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let handler = try await Self.handler(database)
            // The first delivery stored its records; the process died before the broker acknowledged them.
            let lost = try InferenceStateTests.records(
                try await handler.handle(try Self.vitals.map(InferenceStateTests.message)))
            #expect(lost.contains { $0.scoreName == "news2" })
            let redelivered = try InferenceStateTests.records(
                try await handler.handle(try Self.vitals.map(InferenceStateTests.message)))
            #expect(Set(redelivered.map(\.id)) == Set(lost.map(\.id)), "the unacknowledged records come again, nothing else")
            let stored = try await database.pool.query("SELECT count(*)::int FROM infer.risk_records")
            #expect(try stored.first?.decode(Int.self, at: 0) == lost.count, "and are stored once")
        }
    }
}
