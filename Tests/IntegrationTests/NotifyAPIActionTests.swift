import Foundation
import Notification
import Testing
import VigilModelCore

/// Clinicians' actions through the API change PostgreSQL, emit events into the outbox and are audited; wrong
/// forms get 422 problem documents, stale revisions 409; the stop switch retracts a model's live alerts.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct NotifyAPIActionTests {
    @Test func acknowledgeChangesTheEpisodeEmitsAnEventAndIsAudited() async throws {
        try await NotifyAPIHarness.with { api in
            let id = try await api.raise(unit: "ICU1", patient: "a1")
            let path = "/api/alerts/\(id.rawValue)/acknowledge"
            let reply = try await api.call("POST", path, token: "t-icu", json: [:], headers: [("If-Match", "\"1\"")])
            #expect(reply.status == 200, "\(reply.text)")
            #expect(reply.json["status"] as? String == "acknowledged" && reply.json["revision"] as? Int == 2)
            #expect(reply.header("ETag") == "\"2\"")
            let episode = try await api.database.pool.query(
                "SELECT status, state->>'ackedBy' FROM notify.episodes WHERE id = \(id.rawValue)")
            let (status, ackedBy) = try #require(try episode.first?.decode((String, String).self))
            #expect(status == "acknowledged" && ackedBy == "user:nurse-icu")
            let events = try await api.database.pool.query(
                """
                SELECT e.action, e.actor, e.revision, o.seq IS NOT NULL FROM notify.alert_events e
                LEFT JOIN notify.outbox o ON o.event_id = e.id WHERE e.episode_id = \(id.rawValue) ORDER BY e.revision
                """)
            let rows = try events.map { try $0.decode((String, String?, Int, Bool).self) }
            #expect(rows.map(\.0) == ["raised", "acknowledged"])
            #expect(rows.last?.1 == "user:nurse-icu" && rows.allSatisfy(\.3), "every event is in the outbox")
            let audited = try await api.audit("alert.acknowledge")
            #expect(
                audited.count == 1 && audited[0].actor == "user:nurse-icu"
                    && audited[0].subject == "alert:\(id.rawValue)")
            #expect(
                audited[0].details.contains("\"revision\":\"2\"")
                    && audited[0].details.contains("\"role\":\"clinician\""))

            // Again: 200, no new event, no new audit entry.
            #expect(try await api.call("POST", path, token: "t-icu", json: [:]).status == 200)
            #expect(try await api.audit("alert.acknowledge").count == 1)
            let detail = try await api.call("GET", "/api/alerts/\(id.rawValue)", token: "t-audit")
            #expect((detail.json["revisions"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test func overrideNeedsAValidReasonAndAFreshRevision() async throws {
        try await NotifyAPIHarness.with { api in
            let id = try await api.raise(unit: "ICU2", patient: "o1")
            let path = "/api/alerts/\(id.rawValue)/override"
            for body: [String: Any] in [[:], ["reasonCode": "bored"], ["reasonCode": "other", "text": "meh"]] {
                let reply = try await api.call("POST", path, token: "t-icu", json: body)
                #expect(reply.status == 422, "\(body)")
                #expect(reply.header("Content-Type") == "application/problem+json")
                #expect(reply.json["status"] as? Int == 422 && reply.json["detail"] is String)
            }
            let stale = try await api.call(
                "POST", path, token: "t-icu", json: ["reasonCode": "data-error", "text": "probe off"],
                headers: [("If-Match", "\"7\"")])
            #expect(stale.status == 409)
            #expect(
                (stale.json["alert"] as? [String: Any])?["revision"] as? Int == 1, "the current alert comes with it")
            let done = try await api.call(
                "POST", path, token: "t-icu",
                json: ["reasonCode": "other", "text": "family at bedside, comfort care", "revision": 1])
            #expect(done.status == 200 && done.json["status"] as? String == "overridden", "\(done.text)")
            let audited = try await api.audit("alert.override")
            #expect(audited.count == 1)
            #expect(audited.first?.reason == "family at bedside, comfort care")
            #expect(audited.first?.details.contains("\"reasonCode\":\"other\"") == true)
            // Not possible any more: a conflict, not a validation error.
            #expect(
                try await api.call("POST", "/api/alerts/\(id.rawValue)/acknowledge", token: "t-icu", json: [:]).status
                    == 409)
            #expect(
                try await api.call(
                    "POST", "/api/alerts/e1.\(String(repeating: "a", count: 52))/acknowledge", token: "t-icu", json: [:]
                ).status == 404)
        }
    }

    @Test func snoozeIsCappedAndNeverForCriticalAlerts() async throws {
        try await NotifyAPIHarness.with { api in
            let high = try await api.raise(unit: "ICU1", score: 5, patient: "s1")
            let critical = try await api.raise(unit: "ICU1", score: 7, patient: "s2")
            #expect(
                try await api.call(
                    "POST", "/api/alerts/\(high.rawValue)/snooze", token: "t-icu", json: ["minutes": 120]
                ).status == 422)
            #expect(
                try await api.call(
                    "POST", "/api/alerts/\(critical.rawValue)/snooze", token: "t-icu", json: ["minutes": 10]
                ).status == 422)
            let criticalOnly = try await api.call("GET", "/api/alerts?severity=critical&rule=news2.urgent", token: "t-icu")
            #expect((criticalOnly.json["alerts"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [critical.rawValue])
            let later = try await api.call("GET", "/api/alerts?since=2999-01-01T00:00:00Z", token: "t-icu")
            #expect((later.json["alerts"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await api.call("GET", "/api/alerts?severity=dire", token: "t-icu").status == 400)
            let snoozed = try await api.call(
                "POST", "/api/alerts/\(high.rawValue)/snooze", token: "t-icu", json: ["minutes": 30])
            #expect(snoozed.status == 200 && snoozed.json["status"] as? String == "snoozed")
            #expect(try await api.audit("alert.snooze").first?.details.contains("\"minutes\":\"30\"") == true)
        }
    }

    @Test func stopSwitchRetractsLiveAlertsBlocksNewOnesAndIsAudited() async throws {
        try await NotifyAPIHarness.with { api in
            let first = try await api.raise(unit: "ICU1", patient: "x1")
            let second = try await api.raise(unit: "WARD1", score: 7, patient: "x2")
            let stop = "/api/models/news2/stop"
            #expect(try await api.call("POST", stop, token: "t-admin", json: ["reason": "no"]).status == 422)
            let reply = try await api.call(
                "POST", stop, token: "t-admin", json: ["reason": "drift found in monthly audit"])
            #expect(reply.status == 200 && reply.json["retracted"] as? Int == 2, "\(reply.text)")
            let episodes = try await api.database.pool.query(
                "SELECT id, status, state->>'closeCode' FROM notify.episodes ORDER BY id")
            let rows = try episodes.map { try $0.decode((String, String, String?).self) }
            #expect(Set(rows.map(\.0)) == [first.rawValue, second.rawValue])
            #expect(rows.allSatisfy { $0.1 == "retracted" && $0.2 == "model-stopped" })
            let retracted = try await api.database.pool.query(
                """
                SELECT count(*)::int FROM notify.alert_events
                WHERE action = 'retracted' AND reason_code = 'model-stopped'
                """
            )
            #expect(try retracted.first?.decode(Int.self, at: 0) == 2)
            let audited = try await api.audit("model.stop")
            #expect(
                audited.count == 1 && audited[0].reason == "drift found in monthly audit"
                    && audited[0].subject == "model:news2")
            #expect(audited[0].details.contains("\"retracted\":\"2\""))

            // A new qualifying record of the stopped model raises nothing.
            let facts = PatientFacts(pool: api.database.pool)
            let patient = try Pseudonym.derive(
                assigningAuthority: "HOSP", patientID: "x3", key: Array(repeating: 3, count: 32), keyID: "k1")
            let record = RiskRecord(
                id: EventID.derive(namespace: "risk-test", parts: ["x3"]), patient: patient,
                model: NotifyAPIHarness.news2,
                scoreName: "news2", value: 8, inputEventIDs: [EventID.derive(namespace: "test", parts: ["x3"])],
                computedAt: Date(), eventTime: Date(), modelStatus: .active)
            #expect(try await api.store.decide(record, context: try await facts.context(for: record)).isEmpty)
            let models = try await api.call("GET", "/api/models", token: "t-audit").json["models"] as? [[String: Any]]
            #expect(models?.first { $0["id"] as? String == "news2" }?["status"] as? String == "stopped")
            #expect(
                try await api.call(
                    "POST", "/api/models/news2/restart", token: "t-admin", json: ["reason": "retrained and validated"]
                ).status == 200)
            #expect(try await api.audit("model.restart").count == 1)
            let fatigue = try await api.call("GET", "/api/fatigue", token: "t-audit")
            #expect(fatigue.status == 200 && fatigue.json["alerts"] as? Int == 2, "\(fatigue.text)")
        }
    }
}
