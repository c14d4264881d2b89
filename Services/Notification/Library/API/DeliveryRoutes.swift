import Foundation
import Hummingbird
import VigilAudit
import VigilModelCore

/// The delivery log and the manual redelivery of dead letters: never automatic after the last attempt, so a
/// person decides, and the audit log says who.
extension NotificationAPI {
    func addDeliveryRoutes(to router: Router<NotifyContext>) {
        router.get("/api/deliveries") { request, context in
            await respond {
                let (principal, grant) = try await authorize(request, context, .readDeliveries)
                let status = request.uri.queryParameters.get("status")
                guard status == nil || ["pending", "delivered", "dead"].contains(status!) else {
                    throw Problem(400, "status is pending, delivered or dead")
                }
                let owner: String? = grant == .all ? nil : principal.id
                let rows = try await store.pool.query(
                    """
                    SELECT d.id, d.subscription_id::text, d.event_id, d.status, d.attempts, d.last_http_status,
                           d.last_error_class, d.due_at, d.delivered_at
                    FROM notify.deliveries d JOIN notify.subscriptions s ON s.id = d.subscription_id
                    WHERE (\(owner)::text IS NULL OR s.owner = \(owner)) AND (\(status)::text IS NULL OR d.status = \(status))
                    ORDER BY d.id DESC LIMIT 500
                    """)
                let list = try rows.map { row -> [String: Any] in
                    let (id, subscription, event, state, attempts, http, error, due, delivered) = try row.decode(
                        (Int, String, String, String, Int, Int?, String?, Date, Date?).self)
                    var json: [String: Any] = [
                        "id": id, "subscription": subscription, "eventId": event, "status": state, "attempts": attempts,
                        "dueAt": Timestamp.format(due) ?? "",
                    ]
                    json["lastHttpStatus"] = http
                    json["lastErrorClass"] = error
                    json["deliveredAt"] = delivered.flatMap(Timestamp.format)
                    return json
                }
                return JSONBody.response(200, ["deliveries": list])
            }
        }
        router.post("/api/deliveries/:id/retry") { request, context in
            await respond {
                let (principal, grant) = try await authorize(request, context, .retryDeliveries)
                guard let text = context.parameters.get("id"), let id = Int(text) else {
                    throw Problem(404, "no such delivery")
                }
                let owner: String? = grant == .all ? nil : principal.id
                let retried = try await store.pool.withTransaction { connection in
                    let rows = try await connection.query(
                        """
                        UPDATE notify.deliveries d SET status = 'pending', attempts = 0, due_at = now(), lease_until = NULL
                        FROM notify.subscriptions s
                        WHERE d.id = \(id) AND s.id = d.subscription_id AND d.status = 'dead'
                          AND (\(owner)::text IS NULL OR s.owner = \(owner))
                        RETURNING d.event_id
                        """)
                    guard let event = try rows.first?.decode(String.self, at: 0) else { return false }
                    try await AuditLog.append(
                        using: connection, actor: principal.actor, action: "delivery.retry", subject: "delivery:\(id)",
                        details: ["event": event])
                    return true
                }
                guard retried else { throw Problem(404, "no dead delivery with that id") }
                return JSONBody.response(202, ["id": id, "status": "pending"])
            }
        }
    }
}
