import Foundation
import Notification
import Synchronization
import Testing
import VigilKafka
import VigilModelCore

/// vigil-notify against PostgreSQL: risk records through the store become alert events in the outbox, the
/// relay publishes them in order, a redelivered record changes nothing, shadow output never alerts, and an
/// escalation timer set before a restart fires after it.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct AlertFlowTests {
    static let patient = try! Pseudonym.derive(
        assigningAuthority: "HOSP", patientID: "77", key: Array(repeating: 2, count: 32), keyID: "k1")
    static let news2 = ModelReference(id: "news2", version: "rcp-2017.1", sha256: HexDigest.sha256(framing: ["news2"]))
    static let sepsis = ModelReference(id: "sepsis-lgbm", version: "1.0.0", sha256: HexDigest.sha256(framing: ["sepsis"]))

    static func record(
        _ model: ModelReference, _ name: String, _ value: Double, at time: Date, status: ModelStatus = .active, n: Int
    ) -> RiskRecord {
        let input = EventID.derive(namespace: "test", parts: [name, String(n)])
        return RiskRecord(
            id: EventID.derive(namespace: "risk-test", parts: [name, String(n)]), patient: patient, model: model,
            scoreName: name, value: value, parts: ["\(name).rr": 3], inputEventIDs: [input], computedAt: time,
            eventTime: time, band: "high", modelStatus: status)
    }

    static let trace = TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")!

    static func message(_ record: RiskRecord) throws -> KafkaMessage {
        let (headers, data) = try CloudEvent.encode(event: record, source: "test", traceparent: trace)
        return KafkaMessage(
            topic: "risk", partition: 0, offset: 0, key: nil, value: data,
            headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) })
    }

    @Test func recordsBecomeAlertsOnceAndEscalationSurvivesARestart() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let policy = try AlertPolicyLoader.builtIn()
            let now = Date()
            var store = AlertStore(pool: database.pool, policy: policy)
            let subscriptions = SubscriptionStore(
                pool: database.pool, sealer: try SecretSealer(key: Array(repeating: 9, count: 32)), allowInsecureLoopback: true)
            _ = try await subscriptions.create(
                name: "pager", url: "http://127.0.0.1:9/hook", filter: SubscriptionFilter(severities: [.critical]),
                owner: "integration:pager", actor: "user:admin")
            let handler = RiskHandler(store: store, patients: PatientFacts(pool: database.pool))
            let first = Self.record(Self.news2, "news2", 7, at: now, n: 1)
            _ = try await handler.handle([try Self.message(first), try Self.message(first)])
            // Shadow output is decided, never alerted.
            _ = try await handler.handle([try Self.message(Self.record(Self.sepsis, "sepsis-risk", 0.9, at: now, status: .shadow, n: 2))])

            let published = Mutex<[AlertEvent]>([])
            let traces = Mutex<[String]>([])
            let relay = OutboxRelay(pool: database.pool, logger: TestKafka.logger) { record in
                let event = try AlertEvent.decode(headers: record.headers.map { ($0.key, $0.value ?? []) }, data: record.value)
                published.withLock { $0.append(event) }
                let trace = record.headers.first { $0.key == "traceparent" }?.value.map { String(decoding: $0, as: UTF8.self) }
                traces.withLock { $0.append(trace ?? "") }
            }
            #expect(try await relay.publishPending() == 1)
            let raised = try #require(published.withLock { $0.first })
            #expect(raised.action == .raised && raised.severity == .critical && raised.rule == "news2.urgent")
            #expect(raised.lifecycle?.page == true && raised.lifecycle?.revision == 1)
            #expect(raised.lifecycle?.policyHash == policy.hash)
            #expect(raised.riskRecordID == first.id)
            #expect(try await relay.publishPending() == 0, "published once")
            #expect(traces.withLock { $0 } == [Self.trace.rawValue], "the risk record's trace goes on with the alert")
            // The webhook delivery was queued with the event, as a structured-mode CloudEvent.
            let queued = try await database.pool.query(
                "SELECT w.body FROM notify.deliveries d JOIN notify.webhook_events w ON w.event_id = d.event_id")
            let body = try #require(try queued.first?.decode(String.self, at: 0))
            #expect(body.contains(#""type":"org.vigil.alert.raised.v1""#) && body.contains(raised.alertID.rawValue))
            #expect(try JSONSerialization.jsonObject(with: Data(body.utf8)) is [String: Any])

            let decisions = try await database.pool.query(
                "SELECT decision, coalesce(suppress_reason, ''), mode FROM notify.risk_decisions ORDER BY decided_at")
            let rows = try decisions.map { try $0.decode((String, String, String).self) }
            #expect(rows.count == 2, "the redelivered record is not decided twice")
            #expect(rows.contains { $0 == ("raise", "", "live") })
            #expect(rows.contains { $0 == ("suppress", "shadow", "shadow") })

            // A restart: new store and timer service. The ladder's second step is due 15 minutes after opening.
            store = AlertStore(pool: database.pool, policy: policy)
            let timers = TimerService(store: store, logger: TestKafka.logger)
            #expect(try await timers.fireDue(now: now.addingTimeInterval(60)) == 0, "nothing due yet")
            #expect(try await timers.fireDue(now: now.addingTimeInterval(16 * 60)) >= 1)
            _ = try await relay.publishPending()
            let escalated = try #require(published.withLock { $0.first { $0.action == .escalated } })
            #expect(escalated.alertID == raised.alertID && escalated.lifecycle?.escalationLevel == 1)
            #expect(escalated.lifecycle?.page == true)

            // Discharge retracts the live alert.
            let care = CareEventHandler(store: store, patients: PatientFacts(pool: database.pool))
            let discharge = ClinicalEvent(
                patient: Self.patient, kind: .discharge, code: Coding(system: "http://terminology.hl7.org/CodeSystem/v2-0003", code: "A03"),
                value: nil, effectiveTime: now.addingTimeInterval(20 * 60), recordedTime: now.addingTimeInterval(20 * 60),
                source: EventSource(system: "ADT", messageControlID: "D1", position: 1))
            let (headers, data) = try CloudEvent.encode(event: discharge, source: "test")
            _ = try await care.handle([
                KafkaMessage(topic: "e", partition: 0, offset: 0, key: nil, value: data, headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) })
            ])
            _ = try await relay.publishPending()
            let last = try #require(published.withLock { $0.last })
            #expect(last.action == .retracted && last.lifecycle?.reasonCode == "discharged")
            let revisions = published.withLock { $0.compactMap { $0.lifecycle?.revision } }
            #expect(revisions == Array(1...revisions.count), "published in revision order")
            let live = try await database.pool.query(
                "SELECT count(*)::int FROM notify.episodes WHERE status IN ('open','acknowledged','snoozed')")
            #expect(try live.first?.decode(Int.self, at: 0) == 0)
        }
    }
}
