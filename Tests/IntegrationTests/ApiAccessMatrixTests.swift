import Foundation
import Notification
import Testing
import VigilAudit
import VigilModelCore

/// Design §6 as data: each role can do exactly what the table says, everyone else gets 401 or 403, and every
/// refusal is in the audit log, whose chain stays intact.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct ApiAccessMatrixTests {
    @Test func eachRoleCanDoExactlyWhatTheTableSaysAndRefusalsAreAudited() async throws {
        try await NotifyAPIHarness.with { api in
            let icu = try await api.raise(unit: "ICU1", patient: "m1")
            let ward = try await api.raise(unit: "WARD2", patient: "m2")
            let nowhere = try await api.raise(unit: nil, patient: "m3")
            // (method, path, body, expected status for clinician, auditor, admin, integration); mutations last.
            let table: [(String, String, [String: Any]?, [Int])] = [
                ("GET", "/api/alerts", nil, [200, 200, 200, 200]),
                ("GET", "/api/alerts/\(icu.rawValue)", nil, [200, 200, 200, 200]),
                ("GET", "/api/models", nil, [200, 200, 200, 403]),
                ("GET", "/api/fatigue", nil, [200, 200, 200, 403]),
                ("POST", "/api/models/sepsis-lgbm/stop", ["reason": "matrix test stop"], [403, 403, 200, 403]),
                ("POST", "/api/models/sepsis-lgbm/restart", ["reason": "matrix test restart"], [403, 403, 200, 403]),
                ("POST", "/api/alerts/\(icu.rawValue)/acknowledge", [:], [200, 403, 403, 403]),
            ]
            let tokens = ["t-icu", "t-audit", "t-admin", "t-ehr"]
            var refusals = 0
            for (method, path, body, expected) in table {
                // The clinician goes last so an acknowledgement does not change what the others see.
                for index in [1, 2, 3, 0] {
                    let reply = try await api.call(method, path, token: tokens[index], json: body)
                    #expect(reply.status == expected[index], "\(tokens[index]) \(method) \(path): \(reply.text)")
                    if reply.status == 403 {
                        refusals += 1
                        #expect(reply.header("Content-Type") == "application/problem+json")
                    }
                }
            }
            // Unit scope: the ward clinician cannot see or act on the ICU alert, and lists only its own units.
            #expect(try await api.call("GET", "/api/alerts/\(icu.rawValue)", token: "t-ward").status == 403)
            #expect(
                try await api.call("POST", "/api/alerts/\(icu.rawValue)/acknowledge", token: "t-ward", json: [:]).status
                    == 403)
            refusals += 2
            let wardList = try await api.call("GET", "/api/alerts", token: "t-ward").json["alerts"] as? [[String: Any]]
            #expect(wardList?.compactMap { $0["id"] as? String } == [ward.rawValue])
            let icuList =
                try await api.call("GET", "/api/alerts?status=all", token: "t-icu").json["alerts"] as? [[String: Any]]
            #expect(icuList?.compactMap { $0["id"] as? String } == [icu.rawValue])
            let all = try await api.call("GET", "/api/alerts", token: "t-audit").json["alerts"] as? [[String: Any]]
            // The auditor sees every live alert, including the acknowledged one and the one without a unit.
            #expect(
                Set(all?.compactMap { $0["id"] as? String } ?? []) == [icu.rawValue, ward.rawValue, nowhere.rawValue])

            // No or unknown credentials: 401, audited anonymously.
            let anonymous = try await api.call("GET", "/api/alerts")
            #expect(anonymous.status == 401 && anonymous.header("WWW-Authenticate") != nil)
            #expect(try await api.call("GET", "/api/alerts", token: "not-a-token").status == 401)
            #expect(try await api.call("POST", "/api/alerts/\(icu.rawValue)/acknowledge", json: [:]).status == 401)

            let denied = try await api.audit("api.denied")
            #expect(denied.filter { $0.actor != "anonymous" }.count == refusals)
            #expect(denied.filter { $0.actor == "anonymous" }.count == 3)
            #expect(denied.contains { $0.actor == "user:nurse-ward" && $0.details.contains("\"status\":\"403\"") })
            #expect(denied.contains { $0.details.contains("\"route\":\"POST /api/alerts/{id}/acknowledge\"") })
            #expect(denied.filter { $0.actor == "anonymous" }.allSatisfy { $0.details.contains("\"status\":\"401\"") })
            let stops = try await api.audit("model.stop")
            #expect(stops.count == 1 && stops[0].actor == "user:admin" && stops[0].reason == "matrix test stop")
            guard case .intact = try await AuditVerifier.verify(api.database.pool) else {
                Issue.record("the audit chain is broken")
                return
            }
        }
    }

    @Test func anonymousDenialsAreAuditedAtMostSixtyPerMinuteThenSummarised() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let denials = DenialAudit(audit: AuditLog(pool: database.pool))
            let start = Date()
            for second in 0..<65 {
                await denials.denied(
                    actor: nil, source: "10.0.0.9", subject: "http:/api/alerts", route: "GET /api/alerts", status: 401,
                    why: "no bearer token", now: start.addingTimeInterval(Double(second) / 2))
            }
            // A named principal is never suppressed.
            await denials.denied(
                actor: "user:x", source: "10.0.0.9", subject: "http:/api/models", route: "GET /api/models", status: 403,
                why: "role", now: start.addingTimeInterval(40))
            await denials.flush(now: start.addingTimeInterval(61))
            let rows = try await database.pool.query(
                """
                SELECT action, actor, coalesce(details::jsonb->>'count', '') FROM audit.log
                WHERE action LIKE 'api.denied%' ORDER BY seq
                """
            )
            let audit = try rows.map { try $0.decode((String, String, String).self) }
            #expect(audit.filter { $0.0 == "api.denied" && $0.1 == "anonymous" }.count == 60)
            #expect(audit.filter { $0.0 == "api.denied" && $0.1 == "user:x" }.count == 1)
            #expect(audit.filter { $0.0 == "api.denied_suppressed" }.map(\.2) == ["5"])
        }
    }
}
