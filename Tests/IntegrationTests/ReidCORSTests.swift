import Deidentification
import Foundation
import Testing
import VigilRuntime

/// CORS on `/reid/reveal`: only an origin on `VIGIL_DEID_REID_ALLOWED_ORIGINS` gets the preflight and
/// `Access-Control-Allow-Origin` (its own origin, never `*`); others and an empty list get no CORS headers.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct ReidCORSTests {
    static let page = "http://notify.example:8094"

    @Test func onlyListedOriginsGetCORSHeaders() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let pseudonym = try await ReidTestServer.seed(database)
            let body = Array(try JSONSerialization.data(withJSONObject: ["pseudonym": pseudonym.rawValue, "reason": "cors check"]))
            func send(_ method: String, _ port: Int, origin: String) async throws -> HTTP1Client.Response {
                var headers = [("Origin", origin)]
                if method == "OPTIONS" {
                    headers += [("Access-Control-Request-Method", "POST"),
                                ("Access-Control-Request-Headers", "authorization, content-type")]
                } else {
                    headers.append(("Content-Type", "application/json"))
                }
                return try await HTTP1Client.request(
                    method, port: port, path: "/reid/reveal", headers: headers, body: method == "POST" ? body : nil)
            }
            try await ReidTestServer.run(database, origins: [Self.page]) { port in
                let preflight = try await send("OPTIONS", port, origin: Self.page)
                #expect(preflight.status == 204)
                #expect(preflight.header("Access-Control-Allow-Origin") == Self.page)
                #expect(preflight.header("Access-Control-Allow-Methods") == "POST")
                #expect(preflight.header("Access-Control-Allow-Headers") == "Authorization, Content-Type")
                #expect(preflight.header("Access-Control-Max-Age") == "600")
                #expect(preflight.header("Vary") == "Origin")
                let post = try await send("POST", port, origin: Self.page)
                #expect(post.status == 401, "CORS is no credential")
                #expect(post.header("Access-Control-Allow-Origin") == Self.page && post.header("Vary") == "Origin")

                let evil = "http://evil.example"
                let refused = try await send("OPTIONS", port, origin: evil)
                #expect(refused.status == 403 && refused.header("Access-Control-Allow-Origin") == nil)
                #expect(refused.header("Access-Control-Allow-Methods") == nil)
                #expect(try await send("POST", port, origin: evil).header("Access-Control-Allow-Origin") == nil)
            }
            try await ReidTestServer.run(database) { port in
                let preflight = try await send("OPTIONS", port, origin: Self.page)
                let post = try await send("POST", port, origin: Self.page)
                #expect(preflight.header("Access-Control-Allow-Origin") == nil)
                #expect(post.status == 401 && post.header("Access-Control-Allow-Origin") == nil)
            }
        }
    }

    @Test func theAllowListRefusesWildcardsAndPaths() throws {
        #expect(try ReidCORS.parse("").allowedOrigins.isEmpty)
        #expect(try ReidCORS.parse(" http://127.0.0.1:8094, https://Vigil.example ").allowedOrigins
            == ["http://127.0.0.1:8094", "https://vigil.example"])
        #expect(throws: ReidCORS.InvalidOrigin.self) { try ReidCORS.parse("*") }
        #expect(throws: ReidCORS.InvalidOrigin.self) { try ReidCORS.parse("https://vigil.example/oversight") }
        #expect(throws: ReidCORS.InvalidOrigin.self) { try ReidCORS.parse("ftp://vigil.example") }
    }
}
