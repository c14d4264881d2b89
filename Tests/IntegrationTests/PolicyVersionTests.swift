import Foundation
import Notification
import Testing
import VigilAudit
import VigilModelCore
import VigilPostgres

/// Policy changes through the API: two people (the database refuses a self-approval too), every step and
/// every refusal in the audit log, bad YAML a 422 with the loader's message, and only admins change versions.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct PolicyVersionTests {
    @Test func proposeApproveRejectAndRollBackAreEachAudited() async throws {
        try await NotifyAPIHarness.with { api in
            let first = try await api.propose(try CandidatePolicy.lowerReview())
            #expect(try await api.approve(first).status == 200)
            let second = try await api.propose(try CandidatePolicy.relabelled("1.2"), token: "t-admin2")
            let approved = try await api.approve(second, token: "t-admin")
            #expect(approved.status == 200 && approved.json["current"] as? Bool == true, "\(approved.text)")
            #expect(approved.json["approvedBy"] as? String == "user:admin" && approved.json["effectiveFrom"] != nil)

            // Rolling back the current version makes the one before it current again.
            let back = try await api.rollback(second)
            #expect(back.status == 200 && back.json["status"] as? String == "rolled-back", "\(back.text)")
            #expect(back.json["rolledBackBy"] as? String == "user:admin")
            let list = try await api.call("GET", "/api/policies", token: "t-admin")
            let versions = list.json["versions"] as? [[String: Any]] ?? []
            #expect(versions.map { $0["version"] as? Int } == [second, first], "newest first")
            #expect(versions.first { $0["current"] as? Bool == true }?["version"] as? Int == first)
            #expect(try await api.rollback(second).status == 409, "already rolled back")

            // A rejected proposal never becomes approvable; its proposer may withdraw it.
            let third = try await api.propose(try CandidatePolicy.relabelled("1.3"))
            let rejected = try await api.call(
                "POST", "/api/policies/\(third)/reject", token: "t-admin", json: ["reason": "replay window too short"])
            #expect(rejected.status == 200 && rejected.json["status"] as? String == "rejected", "\(rejected.text)")
            #expect(try await api.approve(third).status == 409)
            #expect(try await api.rollback(third).status == 409)
            // The first version is current again; rolling it back leaves the configured policy.
            #expect(try await api.rollback(first).status == 200)
            #expect(try await api.statuses() == [first: "rolled-back", second: "rolled-back", third: "rejected"])
            #expect(try await api.call("GET", "/api/policies/99", token: "t-audit").status == 404)
            #expect(try await api.approve(99).status == 404)

            let proposals = try await api.audit("policy.propose")
            #expect(proposals.map(\.actor) == ["user:admin", "user:admin-2", "user:admin"])
            #expect(proposals.map(\.subject) == [first, second, third].map { "policy-version:\($0)" })
            #expect(
                proposals.allSatisfy {
                    $0.details.contains("\"role\":\"admin\"") && $0.details.contains("shadowReportSHA256")
                })
            let approvals = try await api.audit("policy.approve")
            #expect(approvals.map(\.actor) == ["user:admin-2", "user:admin"])
            #expect(approvals.allSatisfy { $0.details.contains("effectiveFrom") })
            let rejections = try await api.audit("policy.reject")
            #expect(rejections.count == 1 && rejections[0].reason == "replay window too short")
            let rollbacks = try await api.audit("policy.rollback")
            #expect(rollbacks.map(\.subject) == ["policy-version:\(second)", "policy-version:\(first)"])
            #expect(rollbacks[0].details.contains("\"current\":\"\(first)\""), "\(rollbacks[0].details)")
            #expect(rollbacks[1].details.contains("\"current\":\"configured\""))
            #expect(rollbacks.allSatisfy { $0.reason == "alert burden too high" })
            guard case .intact = try await AuditVerifier.verify(api.database.pool) else {
                Issue.record("the audit chain is broken")
                return
            }
        }
    }

    @Test func showGivesTheYAMLAndTheShadowReportWithItsHash() async throws {
        try await NotifyAPIHarness.with { api in
            let yaml = try CandidatePolicy.lowerReview()
            let number = try await api.propose(yaml)
            let shown = try await api.call("GET", "/api/policies/\(number)", token: "t-audit")
            #expect(shown.status == 200, "\(shown.text)")
            #expect(shown.json["yaml"] as? String == yaml && shown.json["status"] as? String == "proposed")
            #expect(shown.json["hash"] as? String == (try CandidatePolicy.hash(yaml)))
            #expect(shown.json["policyVersion"] as? String == "1.1" && shown.json["name"] as? String == "ward-default")
            let report = try #require(shown.json["shadowReport"] as? [String: Any])
            #expect((report["alerts"] as? [String: Any])?["candidate"] as? Int == 17)
            let stored = try await api.database.pool.query(
                "SELECT shadow_report FROM notify.policy_versions WHERE version = \(number)")
            let text = try #require(try stored.first?.decode(String.self))
            #expect(shown.json["shadowReportSHA256"] as? String == HexDigest.sha256(of: Array(text.utf8)).hex)
        }
    }

    @Test func theProposerCannotApproveTheirOwnChange() async throws {
        try await NotifyAPIHarness.with { api in
            let number = try await api.propose(try CandidatePolicy.lowerReview())
            let own = try await api.approve(number, token: "t-admin")
            #expect(own.status == 403 && own.header("Content-Type") == "application/problem+json")
            let detail = own.json["detail"] as? String ?? ""
            #expect(detail.contains("different person than the proposer"), "\(detail)")
            let denied = try await api.audit("api.denied")
            #expect(
                denied.contains {
                    $0.actor == "user:admin" && $0.details.contains("different person")
                        && $0.details.contains("\"route\":\"POST /api/policies/{version}/approve\"")
                })
            #expect(try await api.statuses() == [number: "proposed"])
            #expect(try await api.audit("policy.approve").isEmpty)

            // The database refuses it as well, whoever writes.
            let error = await #expect(throws: PostgresError.self) {
                try await api.database.pool.execute(
                    """
                    UPDATE notify.policy_versions SET status = 'approved', approved_by = proposed_by,
                      approved_at = now(), effective_at = now() WHERE version = \(number)
                    """)
            }
            #expect(error?.sqlState == "23514" && error?.message.contains("two_person") == true)

            let other = try await api.approve(number)
            #expect(other.status == 200 && other.json["approvedBy"] as? String == "user:admin-2", "\(other.text)")
            #expect(try await api.approve(number).status == 409, "approved once only")
        }
    }

    @Test func badYAMLOrMissingEvidenceIsRefusedWith422() async throws {
        try await NotifyAPIHarness.with { api in
            let good = try CandidatePolicy.lowerReview()
            let noGap = try CandidatePolicy.edit(["clear: {below: 4, for: 30m}": "clear: {below: 6, for: 30m}"])
            let cases: [([String: Any], String)] = [
                (
                    ["yaml": "{{ not: yaml", "reason": "a reason", "shadowReport": CandidatePolicy.report],
                    "not valid YAML"
                ),
                (
                    ["yaml": noGap, "reason": "a reason", "shadowReport": CandidatePolicy.report],
                    "rule #2 (id: news2.review)"
                ),
                (
                    ["yaml": "kind: AlertPolicy", "reason": "a reason", "shadowReport": CandidatePolicy.report],
                    "apiVersion"
                ),
                (["reason": "a reason", "shadowReport": CandidatePolicy.report], "yaml"),
                (["yaml": good, "shadowReport": CandidatePolicy.report], "reason"),
                (["yaml": good, "reason": "a reason"], "shadowReport"),
                (["yaml": good, "reason": "a reason", "shadowReport": [String: Any]()], "shadowReport"),
                (["yaml": good, "reason": "a reason", "shadowReport": "{\"a\": 1}"], "shadowReport"),
            ]
            for (body, expected) in cases {
                let reply = try await api.call("POST", "/api/policies", token: "t-admin", json: body)
                #expect(reply.status == 422, "\(expected): \(reply.text)")
                #expect(reply.header("Content-Type") == "application/problem+json")
                #expect((reply.json["detail"] as? String)?.contains(expected) == true, "\(reply.text)")
            }
            let stored = try await api.database.pool.query("SELECT count(*)::int FROM notify.policy_versions")
            #expect(try stored.first?.decode(Int.self) == 0)
            #expect(try await api.audit("policy.propose").isEmpty)

            // An approval cannot be back-dated.
            let number = try await api.propose(good)
            let past = try await api.approve(number, effectiveFrom: Date().addingTimeInterval(-3600))
            #expect(past.status == 422 && (past.json["detail"] as? String)?.contains("past") == true)
            let garbled = try await api.call(
                "POST", "/api/policies/\(number)/approve", token: "t-admin2", json: ["effectiveFrom": "tomorrow"])
            #expect(garbled.status == 422)
            #expect(try await api.statuses() == [number: "proposed"])
        }
    }

    @Test func onlyAdminsChangeVersionsAndAuditorsRead() async throws {
        try await NotifyAPIHarness.with { api in
            let number = try await api.propose(try CandidatePolicy.lowerReview())
            let proposal: [String: Any] = [
                "yaml": try CandidatePolicy.relabelled("1.4"), "reason": "matrix test",
                "shadowReport": CandidatePolicy.report,
            ]
            // (method, path, body, expected for clinician, auditor, integration)
            let table: [(String, String, [String: Any]?, [Int])] = [
                ("GET", "/api/policies", nil, [403, 200, 403]),
                ("GET", "/api/policies/\(number)", nil, [403, 200, 403]),
                ("POST", "/api/policies", proposal, [403, 403, 403]),
                ("POST", "/api/policies/\(number)/approve", [:], [403, 403, 403]),
                ("POST", "/api/policies/\(number)/reject", ["reason": "matrix test"], [403, 403, 403]),
                ("POST", "/api/policies/\(number)/rollback", ["reason": "matrix test"], [403, 403, 403]),
            ]
            var refusals = 0
            for (method, path, body, expected) in table {
                for (index, token) in ["t-icu", "t-audit", "t-ehr"].enumerated() {
                    let reply = try await api.call(method, path, token: token, json: body)
                    #expect(reply.status == expected[index], "\(token) \(method) \(path): \(reply.text)")
                    refusals += reply.status == 403 ? 1 : 0
                }
                let anonymous = try await api.call(method, path, json: body)
                #expect(anonymous.status == 401 && anonymous.header("WWW-Authenticate") != nil, "\(method) \(path)")
            }
            #expect(try await api.call("GET", "/api/policies", token: "t-admin").status == 200)
            #expect(try await api.statuses() == [number: "proposed"], "no refused call changed anything")
            let denied = try await api.audit("api.denied")
            #expect(denied.filter { $0.actor != "anonymous" }.count == refusals)
            #expect(denied.filter { $0.actor == "anonymous" }.count == table.count)
            #expect(denied.contains { $0.actor == "user:nurse-icu" && $0.details.contains("policies.change") })
        }
    }
}
