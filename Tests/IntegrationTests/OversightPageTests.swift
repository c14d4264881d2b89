import Foundation
import Notification
import Testing
import VigilRuntime

/// The oversight page over plain HTTP: login makes a hardened session cookie, every page carries the security
/// headers, a POST without the CSRF token or from another site is refused (403, audited), a wrong form
/// re-renders with 422 and an error summary, and a good one redirects after changing the alert.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct OversightPageTests {
    static func form(_ fields: [String: String]) -> [UInt8] {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._")
        return Array(
            fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
                .joined(separator: "&").utf8)
    }

    static func csrf(_ html: String) -> String? {
        guard let range = html.range(of: #"name="_csrf" value="[0-9a-f]+""#, options: .regularExpression) else {
            return nil
        }
        return String(html[range].dropFirst(#"name="_csrf" value=""#.count).dropLast())
    }

    static func expectSecurityHeaders(
        _ reply: HTTP1Client.Response, _ sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let csp = reply.header("Content-Security-Policy") ?? ""
        #expect(
            csp.contains("default-src 'none'") && csp.contains("frame-ancestors 'none'"), sourceLocation: sourceLocation
        )
        #expect(csp.contains("form-action 'self'") && csp.contains("script-src 'self'"), sourceLocation: sourceLocation)
        #expect(reply.header("Cache-Control") == "no-store", sourceLocation: sourceLocation)
        #expect(reply.header("Referrer-Policy") == "no-referrer", sourceLocation: sourceLocation)
        #expect(reply.header("X-Content-Type-Options") == "nosniff", sourceLocation: sourceLocation)
    }

    @Test func sessionsCSRFHeadersAndForms() async throws {
        try await NotifyAPIHarness.with { api in
            let id = try await api.raise(unit: "ICU1", patient: "w1")
            func post(_ path: String, _ fields: [String: String], cookie: String?, headers: [(String, String)] = [])
                async throws -> HTTP1Client.Response
            {
                var all = [("Content-Type", "application/x-www-form-urlencoded")] + headers
                if let cookie { all.append(("Cookie", cookie)) }
                return try await HTTP1Client.request(
                    "POST", port: api.port, path: path, headers: all, body: Self.form(fields))
            }
            func get(_ path: String, cookie: String?) async throws -> HTTP1Client.Response {
                try await HTTP1Client.request(
                    "GET", port: api.port, path: path, headers: cookie.map { [("Cookie", $0)] } ?? [])
            }

            let login = try await get("/oversight/login", cookie: nil)
            #expect(login.status == 200 && login.text.contains("<html lang=\"en\">"))
            Self.expectSecurityHeaders(login)
            #expect(try await get("/oversight", cookie: nil).header("Location") == "/oversight/login")
            #expect(try await post("/oversight/login", ["token": "wrong"], cookie: nil).status == 401)
            #expect(try await api.audit("session.denied").count == 1)

            let signedIn = try await post("/oversight/login", ["token": "t-icu"], cookie: nil)
            #expect(signedIn.status == 303 && signedIn.header("Location") == "/oversight")
            let setCookie = try #require(signedIn.header("Set-Cookie"))
            #expect(
                setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict") && setCookie.contains("Path=/"))
            #expect(!setCookie.contains("Secure"), "VIGIL_NOTIFY_COOKIE_SECURE=false in this test")
            let cookie = String(setCookie.prefix { $0 != ";" })
            #expect(try await api.audit("session.login").first?.actor == "user:nurse-icu")

            let worklist = try await get("/oversight", cookie: cookie)
            #expect(worklist.status == 200 && worklist.text.contains("/oversight/alerts/\(id.rawValue)"))
            #expect(worklist.text.contains("<caption>") && worklist.text.contains("scope=\"col\""))
            Self.expectSecurityHeaders(worklist)
            let page = try await get("/oversight/alerts/\(id.rawValue)", cookie: cookie)
            #expect(page.status == 200 && page.text.contains("<svg") && page.text.contains("<legend>"))
            let token = try #require(Self.csrf(page.text))

            let path = "/oversight/alerts/\(id.rawValue)/acknowledge"
            #expect(try await post(path, ["revision": "1"], cookie: cookie).status == 403, "no CSRF token")
            #expect(
                try await post(path, ["revision": "1", "_csrf": String(repeating: "0", count: 64)], cookie: cookie)
                    .status == 403)
            #expect(
                try await post(
                    path, ["revision": "1", "_csrf": token], cookie: cookie,
                    headers: [("Origin", "http://evil.example")]
                ).status == 403)
            #expect(
                try await post(
                    path, ["revision": "1", "_csrf": token], cookie: cookie, headers: [("Sec-Fetch-Site", "cross-site")]
                ).status == 403)
            let csrfDenials = try await api.audit("api.denied").filter { $0.actor == "user:nurse-icu" }
            #expect(csrfDenials.count == 4)

            let invalid = try await post(
                "/oversight/alerts/\(id.rawValue)/override", ["revision": "1", "_csrf": token], cookie: cookie)
            #expect(invalid.status == 422)
            #expect(invalid.text.contains("role=\"alert\"") && invalid.text.contains("aria-invalid=\"true\""))
            #expect(invalid.text.contains("href=\"#reason-patient-not-at-risk\""))
            Self.expectSecurityHeaders(invalid)

            let done = try await post(
                path, ["revision": "1", "_csrf": token], cookie: cookie,
                headers: [("Origin", "http://127.0.0.1:\(api.port)")])
            #expect(
                done.status == 303 && done.header("Location") == "/oversight/alerts/\(id.rawValue)?done=acknowledge")
            let status = try await api.database.pool.query(
                "SELECT status FROM notify.episodes WHERE id = \(id.rawValue)")
            #expect(try status.first?.decode(String.self, at: 0) == "acknowledged")
            let stale = try await post(
                "/oversight/alerts/\(id.rawValue)/override",
                ["revision": "1", "_csrf": token, "reasonCode": "data-error"], cookie: cookie)
            #expect(stale.status == 409 && stale.text.contains("changed while you were looking"))

            #expect(try await post("/oversight/logout", ["_csrf": token], cookie: cookie).status == 303)
            #expect(try await get("/oversight", cookie: cookie).status == 303, "the session is gone")
            #expect(
                try await get("/oversight/static/oversight.css", cookie: nil).header("Content-Type")?.hasPrefix(
                    "text/css") == true)
        }
    }

    @Test func adminsStopModelsWithAReasonOthersOnlySeeTheirStatus() async throws {
        try await NotifyAPIHarness.with { api in
            _ = try await api.raise(unit: "ICU1", patient: "g1")
            func get(_ path: String, _ cookie: String) async throws -> HTTP1Client.Response {
                try await HTTP1Client.request("GET", port: api.port, path: path, headers: [("Cookie", cookie)])
            }
            let admin = try await api.signIn("t-admin")
            let models = try await get("/oversight/models", admin)
            #expect(models.status == 200 && models.text.contains("Stop news2"))
            let token = try #require(Self.csrf(models.text))
            func stop(_ reason: String) async throws -> HTTP1Client.Response {
                try await HTTP1Client.request(
                    "POST", port: api.port, path: "/oversight/models/news2/stop",
                    headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Cookie", admin)],
                    body: Self.form(["_csrf": token, "reason": reason]))
            }
            let refused = try await stop("")
            #expect(
                refused.status == 422 && refused.text.contains("role=\"alert\"")
                    && refused.text.contains("href=\"#reason-news2\""))
            #expect(try await stop("validation drift").status == 303)
            #expect(try await get("/oversight/models", admin).text.contains("Restart news2"))
            #expect(try await api.audit("model.stop").first?.reason == "validation drift")
            let fatigue = try await get("/oversight/fatigue", admin)
            #expect(fatigue.status == 200 && fatigue.text.contains("Alerts per patient-day"))

            let clinician = try await api.signIn("t-icu")
            let seen = try await get("/oversight/models", clinician)
            #expect(seen.status == 200 && seen.text.contains("stopped") && !seen.text.contains("Restart news2"))
            #expect(try await get("/oversight/models", try await api.signIn("t-ehr")).status == 403)
        }
    }

    @Test func sessionsEndAfterThirtyIdleMinutesOrTwelveHours() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let sessions = SessionStore(pool: database.pool)
            let start = Date()
            let idle = try await sessions.create(principalID: "p", now: start)
            #expect(try await sessions.session(cookie: idle, now: start.addingTimeInterval(29 * 60)) != nil)
            #expect(try await sessions.session(cookie: idle, now: start.addingTimeInterval(60 * 60)) == nil)
            let busy = try await sessions.create(principalID: "p", now: start)
            for step in 1...35 {
                #expect(try await sessions.session(cookie: busy, now: start.addingTimeInterval(Double(step) * 20 * 60)) != nil)
            }
            #expect(try await sessions.session(cookie: busy, now: start.addingTimeInterval(12 * 3600 + 60)) == nil)
            #expect(try await sessions.session(cookie: String(repeating: "ab", count: 32)) == nil)
            #expect(try await sessions.session(cookie: "not hex") == nil)
            let stored = try await database.pool.query("SELECT length(id_sha256) FROM notify.sessions LIMIT 1")
            #expect(try stored.first?.decode(Int.self, at: 0) == 32, "only the digest is stored")
        }
    }
}
