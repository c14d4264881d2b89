import Foundation
import Notification
import Testing
import VigilModelCore
import VigilRuntime

/// The approver's view: a proposal carrying a real `vigil shadow` report shows the figures and the episodes
/// the change would alter, next to the YAML.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct OversightPolicyPageTests {
    @Test func aProposalShowsItsShadowReplay() async throws {
        let candidateYAML = try CandidatePolicy.lowerReview()
        let start = Date(timeIntervalSince1970: 1_767_225_600)
        var records: [RiskRecord] = []
        for (name, score) in [("four", 4.0), ("five", 5.0)] {
            let patient = try Pseudonym.derive(
                assigningAuthority: "T", patientID: name, key: Array(repeating: 2, count: 32), keyID: "k1")
            records.append(
                RiskRecord(
                    id: EventID.derive(namespace: "page", parts: [name]), patient: patient, model: NotifyAPIHarness.news2,
                    scoreName: "news2", value: score, parts: ["news2.rr": 2], inputEventIDs: [], computedAt: start,
                    eventTime: start, modelStatus: .active))
        }
        let report = try ShadowReport.make(
            records: records, onsets: [:], production: try AlertPolicyLoader.builtIn(),
            candidate: try AlertPolicyLoader.parse(candidateYAML), model: nil)
        #expect(report.diff.map(\.kind) == ["candidate-only"], "only the 4 alerts under the candidate")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(try VigilJSON.encode(report))) as? [String: Any])

        try await NotifyAPIHarness.with { api in
            let proposed = try await api.call(
                "POST", "/api/policies", token: "t-admin",
                json: ["yaml": candidateYAML, "reason": "review NEWS2 at 4", "shadowReport": json])
            #expect(proposed.status == 201, "\(proposed.text)")
            let number = try #require(proposed.json["version"] as? Int)
            let cookie = try await api.signIn("t-audit")
            let list = try await HTTP1Client.request("GET", port: api.port, path: "/oversight/policies", headers: [("Cookie", cookie)])
            #expect(list.status == 200 && list.text.contains("href=\"/oversight/policies/\(number)\""))
            let page = try await HTTP1Client.request(
                "GET", port: api.port, path: "/oversight/policies/\(number)", headers: [("Cookie", cookie)])
            #expect(page.status == 200)
            #expect(page.text.contains("<caption>What the change would do</caption>"))
            #expect(page.text.contains("<caption>Episodes that differ (1)</caption>") && page.text.contains("<td>candidate-only</td>"))
            #expect(page.text.contains("news2.review,  when: {score: {gte: 4}}"), "the YAML is shown")
            let clinician = try await HTTP1Client.request(
                "GET", port: api.port, path: "/oversight/policies", headers: [("Cookie", try await api.signIn("t-icu"))])
            #expect(clinician.status == 403)
        }
    }
}
