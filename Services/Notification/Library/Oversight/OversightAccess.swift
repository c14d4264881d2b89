import Foundation
import Hummingbird

/// The page's side of access: a session cookie instead of a bearer token, the same role table, and on every
/// POST the CSRF token and same-origin check.
struct OversightUser: Sendable {
    var principal: NotifyPrincipals.Principal
    var session: SessionStore.Session

    func can(_ route: Authorizer.Route) -> Bool { Authorizer.grant(principal, route) != .denied }

    /// What every page's layout needs: who is logged in, the CSRF token and the navigation it may see.
    var layout: [String: Any] {
        [
            "user": principal.id, "roles": principal.roles.map(\.rawValue).sorted().joined(separator: ", "),
            "csrf": session.csrfHex, "canReadModels": can(.readModels), "canReadFatigue": can(.readFatigue),
            "canReadPolicies": can(.readPolicies),
        ]
    }
}

enum PageRefusal: Error {
    /// No valid session: to the login form.
    case login
    /// Already answered (a 403 that was audited).
    case response(Response)
}

extension NotificationAPI {
    static let sessionCookie = "vigil_session"

    /// The logged-in user allowed `route`; on a POST also the CSRF token (`_csrf`) and the request's origin.
    func user(
        _ request: Request, _ context: NotifyContext, _ route: Authorizer.Route, form: [String: String]? = nil
    ) async throws -> OversightUser {
        guard let cookie = request.cookies[Self.sessionCookie]?.value,
            let session = try await sessions.session(cookie: cookie),
            let principal = principals.principal(id: session.principalID)
        else { throw PageRefusal.login }
        if request.method == .post {
            guard CSRF.sameOrigin(request) else {
                throw PageRefusal.response(await pageDenied(principal, request, context, "cross-site request"))
            }
            guard CSRF.tokenMatches(session, form?["_csrf"]) else {
                throw PageRefusal.response(await pageDenied(principal, request, context, "missing or wrong CSRF token"))
            }
        }
        guard Authorizer.grant(principal, route) != .denied else {
            throw PageRefusal.response(
                await pageDenied(principal, request, context, "role not allowed: \(route.rawValue)"))
        }
        return OversightUser(principal: principal, session: session)
    }

    func pageDenied(
        _ principal: NotifyPrincipals.Principal, _ request: Request, _ context: NotifyContext, _ why: String
    ) async -> Response {
        _ = await refuse(principal, request, context, 403, why)
        return pages.render(
            "message", ["title": "Not allowed", "message": "You may not do this: \(why)."], status: 403)
    }

    /// Runs a page handler: no session goes to the login form, refusals are returned as they are.
    func page(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch PageRefusal.login {
            return OversightPages.redirect("/oversight/login")
        } catch PageRefusal.response(let response) {
            return response
        } catch let problem as Problem {
            return pages.render(
                "message", ["title": "Not available", "message": problem.detail], status: problem.status)
        } catch {
            logger.error("oversight page failed", metadata: ["error.type": "\(type(of: error))"])
            return pages.render(
                "message", ["title": "Unavailable", "message": "The alert store is unavailable."], status: 503)
        }
    }

    func sessionCookie(_ value: String, maxAge: Int) -> String {
        "\(Self.sessionCookie)=\(value); Path=/; Max-Age=\(maxAge); HttpOnly; SameSite=Strict"
            + (configuration.cookieSecure ? "; Secure" : "")
    }
}
