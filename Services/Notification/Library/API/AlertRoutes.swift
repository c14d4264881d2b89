import Foundation
import Hummingbird
import VigilModelCore

extension NotificationAPI {
    var queries: AlertQueries { AlertQueries(pool: store.pool) }
    var actions: AlertActions { AlertActions(store: store) }

    func addAlertRoutes(to router: Router<NotifyContext>) {
        router.get("/api/alerts") { request, context in
            await respond { try await listAlerts(request, context) }
        }
        router.get("/api/alerts/:id") { request, context in
            await respond { try await showAlert(request, context) }
        }
        for verb in ["acknowledge", "override", "snooze"] {
            router.post("/api/alerts/:id/\(verb)") { request, context in
                await respond { try await act(verb, request, context) }
            }
        }
    }

    func listAlerts(_ request: Request, _ context: NotifyContext) async throws -> Response {
        let (principal, grant) = try await authorize(request, context, .readAlerts)
        let query = request.uri.queryParameters
        var filter = AlertQueries.Filter()
        if let statuses = query.get("status"), statuses != "all" {
            filter.statuses = try statuses.split(separator: ",").map { text throws(Problem) in
                guard let status = EpisodeState.Status(rawValue: String(text)) else {
                    throw Problem(400, "status must be a comma-separated list of episode states, or all")
                }
                return status
            }
        } else if query.get("status") == "all" {
            filter.statuses = EpisodeState.Status.allCases
        }
        if let severity = query.get("severity") {
            guard let value = AlertEvent.Severity(rawValue: severity) else { throw Problem(400, "unknown severity") }
            filter.severity = value
        }
        if let since = query.get("since") {
            guard let date = Timestamp.parse(since) else { throw Problem(400, "since must be an RFC 3339 time") }
            filter.since = date
        }
        filter.rule = query.get("rule")
        filter.unit = query.get("unit")
        let alerts = try await queries.list(filter).filter { grant == .all || principal.covers(unit: $0.unit) }
        return JSONBody.response(200, ["alerts": alerts.map(AlertJSON.summary)])
    }

    func showAlert(_ request: Request, _ context: NotifyContext) async throws -> Response {
        let (principal, _) = try await authorize(request, context, .readAlerts)
        let id = try alertID(context)
        guard let episode = try await queries.episode(id) else { throw Problem(404, "no such alert") }
        guard Authorizer.allows(principal, .readAlerts, unit: episode.unit) else {
            throw await refuse(principal, request, context, 403, "alert outside the principal's units")
        }
        let body = AlertJSON.detail(episode, try await queries.revisions(id))
        return JSONBody.response(200, body, headers: [.eTag: "\"\(episode.revision)\""])
    }

    func act(_ verb: String, _ request: Request, _ context: NotifyContext) async throws -> Response {
        let (principal, _) = try await authorize(request, context, .actOnAlerts)
        let id = try alertID(context)
        guard let body = await JSONBody.object(request) else { throw Problem(400, "the body must be a JSON object") }
        let action: HumanAction
        switch verb {
        case "acknowledge":
            action = .acknowledge
        case "override":
            action = .override(reasonCode: body["reasonCode"] as? String, text: body["text"] as? String)
        default:
            guard let minutes = body["minutes"] as? Int else { throw Problem(422, "a snooze needs minutes") }
            action = .snooze(minutes: minutes)
        }
        let revision = try Self.revision(ifMatch: request.headers[.ifMatch], body: body["revision"])
        do {
            let episode = try await actions.perform(action, on: id, revision: revision, by: principal)
            return JSONBody.response(200, AlertJSON.summary(episode), headers: [.eTag: "\"\(episode.revision)\""])
        } catch AlertActions.Refusal.notFound {
            throw Problem(404, "no such alert")
        } catch AlertActions.Refusal.outOfScope {
            throw await refuse(principal, request, context, 403, "alert outside the principal's units")
        } catch let error as AlertActionError where error.code == .staleRevision {
            let current = try await queries.episode(id).map(AlertJSON.summary) ?? [:]
            throw Problem(409, error.reason, extra: ["alert": current])
        }
    }

    func alertID(_ context: NotifyContext) throws(Problem) -> EventID {
        guard let text = context.parameters.get("id"), let id = EventID(text) else {
            throw Problem(404, "no such alert")
        }
        return id
    }

    /// The revision the client was shown: `If-Match: "3"` (weak or strong) or the body's `revision`.
    static func revision(ifMatch: String?, body: Any?) throws(Problem) -> Int? {
        if let header = ifMatch?.trimmingCharacters(in: .whitespaces), header != "*" {
            let bare = header.hasPrefix("W/") ? String(header.dropFirst(2)) : header
            guard let revision = Int(bare.trimmingCharacters(in: CharacterSet(charactersIn: "\""))) else {
                throw Problem(400, "If-Match must be the alert's revision, e.g. \"3\"")
            }
            return revision
        }
        if let number = body as? Int { return number }
        if let text = body as? String, let number = Int(text) { return number }
        guard body == nil else { throw Problem(400, "revision must be an integer") }
        return nil
    }
}
