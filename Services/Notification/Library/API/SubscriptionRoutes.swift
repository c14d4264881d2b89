import Foundation
import Hummingbird
import VigilAudit
import VigilModelCore

/// Webhook subscriptions and their delivery log (design §6): admins manage all, integrations their own
/// (owner = principal id), auditors read. A new or rotated secret is shown once, in the response.
extension NotificationAPI {
    func addSubscriptionRoutes(to router: Router<NotifyContext>) {
        router.get("/api/subscriptions") { request, context in
            await respond {
                let (principal, grant) = try await authorize(request, context, .readSubscriptions)
                let store = try webhooks()
                let list = try await store.list(owner: grant == .all ? nil : principal.id)
                return JSONBody.response(200, ["subscriptions": list.map(Self.json)])
            }
        }
        router.post("/api/subscriptions") { request, context in
            await respond {
                let (principal, _) = try await authorize(request, context, .changeSubscriptions)
                let store = try webhooks()
                guard let body = await JSONBody.object(request), let name = body["name"] as? String,
                    let url = body["url"] as? String, !name.isEmpty
                else { throw Problem(422, "name and url are required") }
                let filter = try Self.filter(body["filter"])
                do {
                    let created = try await store.create(
                        name: name, url: url, filter: filter, owner: principal.id, actor: principal.actor)
                    var json = Self.json(created.subscription)
                    json["secret"] = created.secret.encoded
                    return JSONBody.response(201, ["subscription": json])
                } catch let error as WebhookError where error.code == .invalidURL {
                    throw Problem(422, error.reason)
                }
            }
        }
        router.post("/api/subscriptions/:id/rotate") { request, context in
            await respond {
                let (principal, store, id) = try await owned(request, context)
                let secret = try await store.rotateSecret(id: id, actor: principal.actor)
                return JSONBody.response(200, ["id": id.uuidString, "secret": secret.encoded])
            }
        }
        router.delete("/api/subscriptions/:id") { request, context in
            await respond {
                let (principal, store, id) = try await owned(request, context)
                let disabled = try await store.disable(id: id, actor: principal.actor, reason: "disabled through the API")
                return JSONBody.response(200, ["id": id.uuidString, "disabled": disabled])
            }
        }
        addDeliveryRoutes(to: router)
    }

    /// The subscription store, or 503 when no sealing key is configured (secrets could not be kept).
    func webhooks() throws(Problem) -> SubscriptionStore {
        guard let subscriptions else { throw Problem(503, "webhooks are not configured (VIGIL_NOTIFY_WEBHOOK_KEY_FILE)") }
        return subscriptions
    }

    /// A subscription the principal may change: any for admins, their own for integrations (else 404, so
    /// others' ids are not confirmed).
    func owned(_ request: Request, _ context: NotifyContext) async throws -> (NotifyPrincipals.Principal, SubscriptionStore, UUID) {
        let (principal, grant) = try await authorize(request, context, .changeSubscriptions)
        let store = try webhooks()
        guard let text = context.parameters.get("id"), let id = UUID(uuidString: text) else {
            throw Problem(404, "no such subscription")
        }
        let visible = try await store.list(owner: grant == .all ? nil : principal.id)
        guard visible.contains(where: { $0.id == id }) else { throw Problem(404, "no such subscription") }
        return (principal, store, id)
    }

    static func filter(_ value: Any?) throws(Problem) -> SubscriptionFilter {
        guard let value else { return SubscriptionFilter() }
        guard let object = value as? [String: Any],
            let data = try? JSONSerialization.data(withJSONObject: object),
            let filter = try? JSONDecoder().decode(SubscriptionFilter.self, from: data)
        else { throw Problem(422, "filter has severities, rules and actions (lists of known values)") }
        return filter
    }

    static func json(_ subscription: Subscription) -> [String: Any] {
        var json: [String: Any] = [
            "id": subscription.id.uuidString, "name": subscription.name, "url": subscription.url,
            "owner": subscription.owner, "status": subscription.status.rawValue,
            "consecutiveFailures": subscription.consecutiveFailures,
            "filter": [
                "severities": subscription.filter.severities.map(\.rawValue), "rules": subscription.filter.rules,
                "actions": subscription.filter.actions.map(\.rawValue),
            ],
            "createdAt": Timestamp.format(subscription.createdAt) ?? "",
        ]
        if let until = subscription.breakerOpenUntil { json["breakerOpenUntil"] = Timestamp.format(until) }
        return json
    }
}
