import Foundation
import Inference
import Notification
import Testing
import VigilKafka
import VigilModelCore
import VigilRuntime

/// Live model-safety monitoring over what notify stored: NEWS2 scored from generated vitals on day 1, from the
/// same vitals shifted (faster breathing and pulse, lower saturation) on day 2, with most of day 2's alerts
/// overridden. Day 2 raises a drift and an override-rate governance alert, once, published on their topic.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct MonitoringTests {
    static let day1 = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00Z
    static let model = ModelReference(id: "news2", version: "rcp-2017.1", sha256: HexDigest.sha256(framing: ["news2"]))

    /// Deterministic vitals: a small linear congruential generator, so the test needs no randomness.
    struct Vitals {
        var state: UInt64

        mutating func next(_ low: Double, _ high: Double) -> Double {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return low + Double(state >> 33) / Double(1 << 31) * (high - low)
        }

        mutating func signs(shift: Bool) -> VitalSigns {
            VitalSigns(
                respiratoryRate: (next(12, 20) + (shift ? 9 : 0)).rounded(), spo2: (next(95, 99) - (shift ? 5 : 0)).rounded(),
                onOxygen: false, systolic: next(110, 140).rounded(), heartRate: (next(60, 95) + (shift ? 35 : 0)).rounded(),
                consciousness: .alert, temperature: (next(36.5, 37.5) * 10).rounded() / 10)
        }
    }

    @Test func plantedDriftAndAnOverrideSurgeRaiseGovernanceAlerts() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let policy = try AlertPolicyLoader.builtIn()
            let store = AlertStore(pool: database.pool, policy: policy)
            var vitals = Vitals(state: 42)
            var raisedDay2: [EventID] = []
            for (day, shift) in [(0, false), (1, true)] {
                for patient in 0..<90 {
                    let pseudonym = try Pseudonym.derive(
                        assigningAuthority: "MON", patientID: "\(day)-\(patient)", key: Array(repeating: 5, count: 32), keyID: "k1")
                    for hour in 0..<6 {
                        let time = Self.day1.addingTimeInterval(Double(day) * 86400 + Double(patient * 6 + hour) * 60)
                        let score = NEWS2.score(vitals.signs(shift: shift))
                        let record = RiskRecord(
                            id: EventID.derive(namespace: "mon", parts: [pseudonym.rawValue, "\(hour)"]),
                            patient: pseudonym, model: Self.model, scoreName: "news2", value: Double(score.value),
                            parts: score.parts.mapValues(Double.init), inputEventIDs: [], computedAt: time, eventTime: time,
                            band: score.band, modelStatus: .active)
                        let emitted = try await store.decide(record, context: RecordContext(latestEventTime: time), now: time)
                        if shift { raisedDay2 += emitted.filter { $0.event.action == .raised }.map(\.event.alertID) }
                    }
                }
            }
            #expect(raisedDay2.count >= 10, "shifted vitals raise alerts: \(raisedDay2.count)")
            // The surge: three in four of day 2's alerts overridden.
            for (index, alert) in raisedDay2.enumerated() where index % 4 != 0 {
                _ = try await store.apply(
                    .human(actor: "user:dr-a", action: .override(reasonCode: "patient-not-at-risk", text: nil), revision: nil),
                    to: .alert(alert), now: Self.day1.addingTimeInterval(86400 + 3 * 3600))
            }

            let monitor = SafetyMonitor(pool: database.pool)
            let first = try await monitor.compute(from: Self.day1, to: Self.day1.addingTimeInterval(86400))
            #expect(!first.contains { $0.metric == "psi" }, "day 1 is its own baseline")
            let second = try await monitor.compute(
                from: Self.day1.addingTimeInterval(86400), to: Self.day1.addingTimeInterval(2 * 86400))
            let psi = try #require(second.first { $0.metric == "psi" })
            #expect(psi.value >= 0.25 && psi.severity == .critical && psi.cohort == "all", "\(psi.value)")
            let overrides = try #require(second.first { $0.metric == "override_rate" })
            #expect(overrides.value >= 0.5 && overrides.severity == .critical)
            #expect(
                try await monitor.compute(from: Self.day1.addingTimeInterval(86400), to: Self.day1.addingTimeInterval(2 * 86400))
                    .isEmpty, "raised once per window, cohort and metric")

            let stored = try await database.pool.query(
                """
                SELECT cohort, (figures->>'alerts')::int, (figures->>'overridden')::int FROM notify.monitoring_windows
                WHERE window_start = \(Self.day1.addingTimeInterval(86400)) ORDER BY cohort
                """)
            let rows = try stored.map { try $0.decode((String, Int, Int).self) }
            #expect(rows.first { $0.0 == "all" }?.1 == raisedDay2.count)
            #expect(rows.first { $0.0 == "all" }?.2 == raisedDay2.count - (raisedDay2.count + 3) / 4)
            #expect(rows.contains { $0.0 == "age:unknown" }, "no demographics reached this test: one unknown cohort")

            let sent = SentRecords()
            let service = MonitorService(monitor: monitor, logger: TestKafka.logger) { await sent.add($0) }
            #expect(try await service.publishPending() == 2)
            #expect(try await service.publishPending() == 0, "published once")
            let records = await sent.records
            #expect(records.allSatisfy { $0.topic == Topics.governanceAlerts && $0.key == Array("news2".utf8) })
            let decoded = try records.map { try VigilJSON.decode(GovernanceAlert.self, from: $0.value) }
            #expect(Set(decoded.map(\.metric)) == ["psi", "override_rate"])

            // The oversight page shows the model's trends and the alerts.
            try await NotifyAPIHarness.run(database) { api in
                let page = try await HTTP1Client.request(
                    "GET", port: api.port, path: "/oversight/monitoring", headers: [("Cookie", try await api.signIn("t-audit"))])
                #expect(page.status == 200)
                #expect(page.text.contains("news2@rcp-2017.1") && page.text.contains("<polyline class=\"line\""))
                #expect(page.text.contains("<td>override_rate</td>") && page.text.contains("<td>psi</td>"))
                #expect(page.text.contains("<th scope=\"row\">age:unknown</th>"))
                let denied = try await HTTP1Client.request(
                    "GET", port: api.port, path: "/oversight/monitoring", headers: [("Cookie", try await api.signIn("t-ehr"))])
                #expect(denied.status == 403, "integrations do not see model safety")
            }
        }
    }
}

actor SentRecords {
    var records: [OutboundRecord] = []
    func add(_ record: OutboundRecord) { records.append(record) }
}
