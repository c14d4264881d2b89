import Foundation
import Notification
import Testing
import VigilRuntime

/// The identity reveal (design §7 "No PHI in notify") against a real deid `ReidEndpoint`: a clinician covering
/// the alert's unit gets a page carrying a deid grant (audited `alert.reveal_grant`, token not in the audit), the
/// grant reveals that patient at deid; another unit gets 403 (audited), no reason 422, and without the reid
/// settings no form and 404. Notify's responses and logs never contain the patient's name or MRN.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct OversightRevealTests {
    /// One signed-in browser, keeping every body it received.
    final class Session {
        let api: NotifyAPIHarness
        let cookie: String
        var bodies: [String] = []

        init(_ api: NotifyAPIHarness, token: String) async throws {
            self.api = api
            let reply = try await HTTP1Client.request(
                "POST", port: api.port, path: "/oversight/login",
                headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: OversightPageTests.form(["token": token]))
            cookie = String(try #require(reply.header("Set-Cookie")).prefix { $0 != ";" })
        }

        func get(_ path: String) async throws -> HTTP1Client.Response {
            let reply = try await HTTP1Client.request("GET", port: api.port, path: path, headers: [("Cookie", cookie)])
            bodies.append(reply.text)
            return reply
        }

        func post(_ path: String, _ fields: [String: String]) async throws -> HTTP1Client.Response {
            let reply = try await HTTP1Client.request(
                "POST", port: api.port, path: path,
                headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", cookie)],
                body: OversightPageTests.form(fields))
            bodies.append(reply.text)
            return reply
        }
    }

    static func attribute(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "\(name)=\"[^\"]*\"", options: .regularExpression) else { return nil }
        return String(html[range].dropFirst(name.count + 2).dropLast())
    }

    @Test func clinicianOfTheUnitGetsAGrantAndNotifyNeverSeesTheIdentity() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let pseudonym = try await ReidTestServer.seed(database)
            let logs = LogLines()
            try await ReidTestServer.run(database) { reidPort in
                let reid = try ReidGrantClient(
                    baseURL: "http://127.0.0.1:\(reidPort)/", token: ReidTestServer.grantToken)
                try await NotifyAPIHarness.run(database, reid: reid, logger: logs.logger) { api in
                    let id = try await api.raise(unit: "ICU1", pseudonym: pseudonym)
                    let path = "/oversight/alerts/\(id.rawValue)/reveal"
                    let icu = try await Session(api, token: "t-icu")
                    let page = try await icu.get("/oversight/alerts/\(id.rawValue)")
                    #expect(page.status == 200 && page.text.contains("id=\"reveal-button\""))
                    let csrf = try #require(OversightPageTests.csrf(page.text))

                    let missing = try await icu.post(path, ["_csrf": csrf, "reason": "  "])
                    #expect(missing.status == 422 && missing.text.contains("id=\"reveal-error\""))
                    #expect(try await icu.post(path, ["reason": "bedside identity check"]).status == 403, "no CSRF")

                    let granted = try await icu.post(path, ["_csrf": csrf, "reason": "bedside identity check"])
                    #expect(granted.status == 200)
                    let grant = try #require(Self.attribute("data-grant", in: granted.text))
                    #expect(grant.hasPrefix("g1.") && grant.contains(".nurse-icu."))
                    #expect(Self.attribute("data-reid-url", in: granted.text) == "http://127.0.0.1:\(reidPort)")
                    #expect(Self.attribute("data-pseudonym", in: granted.text) == pseudonym.rawValue)
                    #expect(granted.text.contains("aria-live=\"polite\"") && granted.text.contains("reveal.js"))
                    let csp = granted.header("Content-Security-Policy") ?? ""
                    #expect(csp.contains("connect-src 'self' http://127.0.0.1:\(reidPort)"))
                    #expect(page.header("Content-Security-Policy")?.hasSuffix("connect-src 'self'") == true)

                    // What reveal.js does: the grant reveals this patient at deid, for this clinician.
                    let revealed = try await HTTP1Client.request(
                        "POST", port: reidPort, path: "/reid/reveal",
                        headers: [("Authorization", "Grant \(grant)"), ("Content-Type", "application/json")],
                        body: Array(try JSONSerialization.data(withJSONObject: [
                            "pseudonym": pseudonym.rawValue, "reason": "bedside identity check",
                        ])))
                    #expect(revealed.status == 200 && revealed.text.contains(ReidTestServer.canaryFamily))

                    let audit = try await api.audit("alert.reveal_grant")
                    #expect(audit.count == 1)
                    #expect(audit.first?.actor == "user:nurse-icu" && audit.first?.subject == "alert:\(id.rawValue)")
                    #expect(audit.first?.reason == "bedside identity check")
                    #expect(audit.first.map { !$0.details.contains(grant) } == true, "the grant token is not audited")
                    #expect(try await api.audit("deid.grant").first?.actor == "user:notify")
                    #expect(try await api.audit("deid.reveal").first?.actor == "grant:nurse-icu")

                    // Another unit's clinician: 403, audited; an auditor has no reveal role.
                    let ward = try await Session(api, token: "t-ward")
                    let wardCSRF = try #require(OversightPageTests.csrf(try await ward.get("/oversight").text))
                    #expect(try await ward.post(path, ["_csrf": wardCSRF, "reason": "just curious"]).status == 403)
                    #expect(try await api.audit("api.denied").contains { $0.actor == "user:nurse-ward" })
                    let auditor = try await Session(api, token: "t-audit")
                    let auditorCSRF = try #require(OversightPageTests.csrf(try await auditor.get("/oversight").text))
                    #expect(!(try await auditor.get("/oversight/alerts/\(id.rawValue)")).text.contains("reveal-button"))
                    #expect(try await auditor.post(path, ["_csrf": auditorCSRF, "reason": "review"]).status == 403)
                    #expect(try await api.audit("alert.reveal_grant").count == 1)

                    let seen = (icu.bodies + ward.bodies + auditor.bodies).joined() + logs.text
                    #expect(!seen.contains(ReidTestServer.canaryFamily) && !seen.contains(ReidTestServer.canaryMRN))
                    #expect(!logs.text.contains(grant), "notify logs no grant tokens")
                }
            }
        }
    }

    @Test func withoutReidSettingsThereIsNoFormAndTheRouteIs404() async throws {
        try await NotifyAPIHarness.with { api in
            let id = try await api.raise(unit: "ICU1", patient: "r1")
            let icu = try await Session(api, token: "t-icu")
            let page = try await icu.get("/oversight/alerts/\(id.rawValue)")
            #expect(page.status == 200 && !page.text.contains("reveal-button"))
            let csrf = try #require(OversightPageTests.csrf(page.text))
            let reply = try await icu.post(
                "/oversight/alerts/\(id.rawValue)/reveal", ["_csrf": csrf, "reason": "bedside identity check"])
            #expect(reply.status == 404 && reply.text.contains("not configured"))
        }
    }
}
