import Foundation
import Hummingbird
import VigilAudit

extension NotificationAPI {
    func addOversightRoutes(to router: Router<NotifyContext>) {
        router.get("/oversight/login") { request, _ in
            if let cookie = request.cookies[Self.sessionCookie]?.value,
                (try? await sessions.session(cookie: cookie)) != nil
            {
                return OversightPages.redirect("/oversight")
            }
            return pages.render("login", ["title": "Sign in"])
        }
        router.post("/oversight/login") { request, context in await page { try await login(request, context) } }
        router.post("/oversight/logout") { request, context in
            await page {
                let form = await FormBody.read(request) ?? [:]
                let user = try await user(request, context, .readAlerts, form: form)
                if let cookie = request.cookies[Self.sessionCookie]?.value { try await sessions.delete(cookie: cookie) }
                try await audit.append(actor: user.principal.actor, action: "session.logout", subject: "session")
                return OversightPages.redirect("/oversight/login", cookie: sessionCookie("", maxAge: 0))
            }
        }
        router.get("/oversight") { request, context in await page { try await worklist(request, context) } }
        router.get("/oversight/static/:name") { _, context in pages.file(context.parameters.get("name") ?? "") }
        addOversightAlertRoutes(to: router)
        addOversightModelRoutes(to: router)
        addOversightPolicyRoutes(to: router)
    }

    /// The bearer token pasted once becomes a session; failures are audited like API denials.
    func login(_ request: Request, _ context: NotifyContext) async throws -> Response {
        guard CSRF.sameOrigin(request) else {
            await denials.denied(
                actor: nil, source: context.peer, subject: "session", route: "POST /oversight/login", status: 403,
                why: "cross-site login", action: "session.denied")
            return OversightPages.plain(403, "cross-site login refused")
        }
        let form = await FormBody.read(request) ?? [:]
        let token = form["token"]?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard let principal = principals.principal(token: token) else {
            await denials.denied(
                actor: nil, source: context.peer, subject: "session", route: "POST /oversight/login", status: 401,
                why: token.isEmpty ? "no token" : "unknown token", action: "session.denied")
            return pages.render(
                "login",
                [
                    "title": "Sign in", "errors": [["message": "That access token is not valid.", "field": "token"]],
                    "tokenError": true,
                ],
                status: 401)
        }
        let cookie = try await sessions.create(principalID: principal.id)
        try await audit.append(
            actor: principal.actor, action: "session.login", subject: "session",
            details: ["roles": principal.roles.map(\.rawValue).sorted().joined(separator: ",")])
        return OversightPages.redirect(
            "/oversight", cookie: sessionCookie(cookie, maxAge: Int(sessions.absolute.components.seconds)))
    }

    /// Live alerts in the user's units, most severe first, then oldest first.
    func worklist(_ request: Request, _ context: NotifyContext) async throws -> Response {
        let user = try await user(request, context, .readAlerts)
        let grant = Authorizer.grant(user.principal, .readAlerts)
        let now = Date()
        let policy = store.engine.policy
        let alerts = try await queries.list(AlertQueries.Filter())
            .filter { grant == .all || user.principal.covers(unit: $0.unit) }
        var page = user.layout
        page["title"] = "Alert worklist"
        page["alerts"] = alerts.map { ViewModels.row($0, policy, now: now) }
        page["count"] = alerts.count
        page["updated"] = ViewModels.time(now)
        page["scope"] = grant == .all ? "all units" : "units " + user.principal.units.joined(separator: ", ")
        return pages.render("worklist", page)
    }
}
