import Foundation
import Notification
import Testing
import VigilModelCore
import VigilRuntime

/// Webhook subscriptions through the API: integrations manage their own, admins all, auditors read, clinicians
/// nothing; the secret is shown once; dead deliveries are redelivered only by hand, audited.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct SubscriptionAPITests {
    static func json(_ response: HTTP1Client.Response) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
    }

    @Test func rolesOwnershipSecretsAndRedelivery() async throws {
        try await NotifyAPIHarness.with { api in
            let hook = ["name": "ehr-inbox", "url": "http://127.0.0.1:9/hook", "filter": ["severities": ["critical"]]] as [String: Any]
            #expect(try await api.call("POST", "/api/subscriptions", json: hook).status == 401)
            #expect(try await api.call("POST", "/api/subscriptions", token: "t-icu", json: hook).status == 403)
            #expect(try await api.call("POST", "/api/subscriptions", token: "t-audit", json: hook).status == 403)
            let created = try await api.call("POST", "/api/subscriptions", token: "t-ehr", json: hook)
            #expect(created.status == 201)
            let subscription = try #require(try Self.json(created)["subscription"] as? [String: Any])
            let id = try #require(subscription["id"] as? String)
            #expect((subscription["secret"] as? String)?.hasPrefix("whsec_") == true)
            #expect(subscription["owner"] as? String == "ehr")
            let bad = try await api.call("POST", "/api/subscriptions", token: "t-admin", json: ["name": "x", "url": "ftp://h/x"])
            #expect(bad.status == 422)
            _ = try await api.call(
                "POST", "/api/subscriptions", token: "t-admin", json: ["name": "pager", "url": "http://127.0.0.1:9/p"])

            // Listing: the integration sees its own; auditors and admins all; the secret never again.
            let own = try Self.json(try await api.call("GET", "/api/subscriptions", token: "t-ehr"))["subscriptions"] as? [[String: Any]]
            #expect(own?.count == 1 && own?.first?["secret"] == nil)
            let all = try Self.json(try await api.call("GET", "/api/subscriptions", token: "t-audit"))["subscriptions"] as? [[String: Any]]
            #expect(all?.count == 2)
            #expect(try await api.call("GET", "/api/subscriptions", token: "t-ward").status == 403)

            // Another's subscription is not found for the integration; the admin may rotate it.
            let pager = try #require(all?.first { $0["name"] as? String == "pager" }?["id"] as? String)
            #expect(try await api.call("POST", "/api/subscriptions/\(pager)/rotate", token: "t-ehr").status == 404)
            let rotated = try await api.call("POST", "/api/subscriptions/\(pager)/rotate", token: "t-admin")
            let secret = try Self.json(rotated)["secret"] as? String
            #expect(rotated.status == 200 && secret?.hasPrefix("whsec_") == true)

            // A dead delivery is redelivered by its owner, audited; a pending one is not "retried".
            _ = try await api.database.pool.execute(
                "INSERT INTO notify.webhook_events (event_id, body, severity, rule, action) VALUES ('e1', '{}', 'critical', 'r', 'raised')")
            _ = try await api.database.pool.execute(
                """
                INSERT INTO notify.deliveries (subscription_id, event_id, status, attempts, due_at)
                VALUES (\(id)::uuid, 'e1', 'dead', 10, now())
                """)
            let dead = try Self.json(try await api.call("GET", "/api/deliveries?status=dead", token: "t-ehr"))["deliveries"] as? [[String: Any]]
            let delivery = try #require(dead?.first?["id"] as? Int)
            #expect(try await api.call("POST", "/api/deliveries/\(delivery)/retry", token: "t-audit").status == 403)
            #expect(try await api.call("POST", "/api/deliveries/\(delivery)/retry", token: "t-ehr").status == 202)
            #expect(try await api.call("POST", "/api/deliveries/\(delivery)/retry", token: "t-ehr").status == 404, "no longer dead")
            #expect(try await api.audit("delivery.retry").map(\.actor) == ["user:ehr"])
            #expect(try await api.audit("subscription.create").count == 2)

            #expect(try await api.call("DELETE", "/api/subscriptions/\(id)", token: "t-ehr").status == 200)
            let after = try Self.json(try await api.call("GET", "/api/subscriptions", token: "t-ehr"))["subscriptions"] as? [[String: Any]]
            #expect(after?.first?["status"] as? String == "disabled")
        }
    }
}
