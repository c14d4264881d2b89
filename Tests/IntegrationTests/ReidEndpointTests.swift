import Crypto
import Deidentification
import Foundation
import Hummingbird
import ServiceLifecycle
import Testing
import VigilAudit
import VigilModelCore
import VigilPHI
import VigilRuntime

/// Re-identification: refused without credentials, the role, a reason, or for another patient; audited with
/// who, whom and why when granted; break-glass grants reveal one patient until they expire; rate limited.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct ReidEndpointTests {
    static func sha(_ token: String) -> String { Hex.encode(SHA256.hash(data: Data(token.utf8))) }

    static let principals = ReidPrincipals([
        .init(id: "dr-grey", tokenSHA256: sha("token-grey"), roles: ["reidentify"]),
        .init(id: "charge-nurse", tokenSHA256: sha("token-charge"), roles: ["grant"]),
        .init(id: "analyst", tokenSHA256: sha("token-analyst"), roles: []),
    ])

    @Test func revealsOnlyWithTheRoleAndAReasonAndAuditsEveryUse() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let keyring = try DeidKeyring(current: "k1", keys: ["k1": Array(repeating: 8, count: 32)])
            let vault = PatientVault(pool: database.pool, keyring: keyring)
            let patient = IdentifiedPatient(
                assigningAuthority: "HOSP", patientID: "MRN-REID-1", names: [PersonName(family: "Revealson", given: ["Ida"])])
            let other = IdentifiedPatient(assigningAuthority: "HOSP", patientID: "MRN-REID-2")
            let pseudonym = try await vault.context(for: patient) { -9 }.pseudonym
            let otherPseudonym = try await vault.context(for: other) { -9 }.pseudonym
            let endpoint = ReidEndpoint(
                vault: vault, principals: Self.principals, audit: AuditLog(pool: database.pool),
                limiter: ReidRateLimiter(perMinute: 3), logger: TestKafka.logger)
            let port = PortBox()
            let app = Application(
                router: endpoint.router(), configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                onServerRunning: { port.set($0.localAddress?.port ?? 0) }, logger: TestKafka.logger)
            let group = ServiceGroup(services: [app], logger: TestKafka.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                while port.value == 0 { try await Task.sleep(for: .milliseconds(10)) }
                func post(_ path: String, _ auth: String?, _ body: [String: Any]) async throws -> HTTP1Client.Response {
                    var headers = [("Content-Type", "application/json")]
                    if let auth { headers.append(("Authorization", auth)) }
                    return try await HTTP1Client.request(
                        "POST", port: port.value, path: path, headers: headers,
                        body: Array(try JSONSerialization.data(withJSONObject: body)))
                }
                let ask: [String: Any] = ["pseudonym": pseudonym.rawValue, "reason": "sepsis alert follow-up"]
                #expect(try await post("/reid/reveal", nil, ask).status == 401)
                #expect(try await post("/reid/reveal", "Bearer wrong-token", ask).status == 401)
                #expect(try await post("/reid/reveal", "Bearer token-analyst", ask).status == 403)
                #expect(try await post("/reid/reveal", "Bearer token-grey", ["pseudonym": pseudonym.rawValue]).status == 400)
                let revealed = try await post("/reid/reveal", "Bearer token-grey", ask)
                #expect(revealed.status == 200)
                #expect(revealed.text.contains("Revealson"))

                // Break-glass: a grant for one patient, for one grantee.
                #expect(try await post("/reid/grants", "Bearer token-grey", ["pseudonym": pseudonym.rawValue, "grantee": "dr-x", "reason": "alert"]).status == 403)
                let minted = try await post(
                    "/reid/grants", "Bearer token-charge",
                    ["pseudonym": pseudonym.rawValue, "grantee": "dr-house", "reason": "bedside alert", "ttlSeconds": 120])
                #expect(minted.status == 201)
                let token = try #require((try JSONSerialization.jsonObject(with: Data(minted.body)) as? [String: Any])?["token"] as? String)
                #expect(try await post("/reid/reveal", "Grant \(token)", ask).status == 200)
                #expect(try await post("/reid/reveal", "Grant \(token)", ["pseudonym": otherPseudonym.rawValue, "reason": "curious look"]).status == 403)
                #expect(try await post("/reid/reveal", "Grant \(token.dropLast(2))xx", ask).status == 401, "a tampered grant")
                let expired = ReidGrant(pseudonym: pseudonym, grantee: "dr-house", expires: Date().addingTimeInterval(-5))
                #expect(try await post("/reid/reveal", "Grant \(expired.token(keyring: keyring))", ask).status == 403)

                // Rate limit: dr-grey has used one of three this minute.
                #expect(try await post("/reid/reveal", "Bearer token-grey", ask).status == 200)
                #expect(try await post("/reid/reveal", "Bearer token-grey", ask).status == 200)
                #expect(try await post("/reid/reveal", "Bearer token-grey", ask).status == 429)

                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            let rows = try await database.pool.query(
                "SELECT actor, action, subject, coalesce(reason, '') FROM audit.log WHERE action LIKE 'deid.%' ORDER BY seq")
            let audit = try rows.map { try $0.decode((String, String, String, String).self) }
            let reveals = audit.filter { $0.1 == "deid.reveal" }
            #expect(reveals.count == 4)
            #expect(reveals.allSatisfy { $0.2 == "patient:\(try! DeidKeyring(current: "k1", keys: ["k1": Array(repeating: 8, count: 32)]).pseudonym(authority: "HOSP", patientID: "MRN-REID-1").rawValue)" })
            #expect(reveals.contains { $0.0 == "grant:dr-house" && $0.3 == "sepsis alert follow-up" })
            #expect(reveals.contains { $0.0 == "user:dr-grey" })
            #expect(audit.contains { $0.1 == "deid.grant" && $0.0 == "user:charge-nurse" && $0.3 == "bedside alert" })
            #expect(audit.filter { $0.1 == "deid.reveal_denied" }.count >= 3)
            #expect(!audit.contains { $0.0.contains("Revealson") || $0.2.contains("Revealson") }, "the audit log names pseudonyms")
        }
    }
}
