import Hummingbird

extension NotificationAPI {
    /// The bearer principal and its grant for `route`; a refusal (401 or 403) is audited before it is thrown.
    /// Cookies are ignored here: `/api/*` takes only bearer tokens, so it needs no CSRF defence.
    func authorize(
        _ request: Request, _ context: NotifyContext, _ route: Authorizer.Route
    ) async throws(Problem) -> (NotifyPrincipals.Principal, Authorizer.Grant) {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            throw await refuse(nil, request, context, 401, "no bearer token")
        }
        guard let principal = principals.principal(token: String(header.dropFirst(7))) else {
            throw await refuse(nil, request, context, 401, "unknown token")
        }
        let grant = Authorizer.grant(principal, route)
        guard grant != .denied else {
            throw await refuse(principal, request, context, 403, "role not allowed: \(route.rawValue)")
        }
        return (principal, grant)
    }

    /// Audits a refusal as `api.denied` and returns its problem document.
    func refuse(
        _ principal: NotifyPrincipals.Principal?, _ request: Request, _ context: NotifyContext, _ status: Int,
        _ why: String
    ) async -> Problem {
        await denials.denied(
            actor: principal?.actor, source: context.peer, subject: "http:\(request.uri.path)",
            route: Self.routeName(request, context), status: status, why: why)
        return Problem(status, status == 401 ? "credentials required" : why)
    }

    /// `METHOD /pattern`, e.g. `POST /api/alerts/{id}/acknowledge`: the route, not the concrete path.
    static func routeName(_ request: Request, _ context: NotifyContext) -> String {
        let path =
            context.endpointPath.map { pattern in
                pattern.split(separator: "/", omittingEmptySubsequences: false)
                    .map { $0.hasPrefix(":") ? "{\($0.dropFirst())}" : String($0) }.joined(separator: "/")
            } ?? request.uri.path
        return "\(request.method.rawValue) \(path)"
    }

    /// Runs a handler, turning thrown problems and refused actions into problem documents.
    func respond(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch let problem as Problem {
            return problem.response
        } catch let error as AlertActionError {
            return Problem(error.code == .invalid ? 422 : 409, error.reason).response
        } catch {
            logger.error("notify API request failed", metadata: ["error.type": "\(type(of: error))"])
            return Problem(503, "the alert store is unavailable; try again").response
        }
    }
}
