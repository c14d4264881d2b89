import Foundation
import Hummingbird
import Logging
import Metrics
import VigilAudit
import VigilModelCore
import VigilPHI
import VigilRuntime

/// Audited re-identification over HTTP (inside the PHI zone):
///
/// - `POST /reid/reveal` `{"pseudonym", "reason"}` with `Authorization: Bearer <token>` of a principal holding
///   `reidentify`, or `Authorization: Grant <g1 token>` for the one patient it names, before it expires.
/// - `POST /reid/grants` `{"pseudonym", "grantee", "reason", "ttlSeconds"}` (role `grant`, at most an hour).
///
/// Every reveal and grant is written to the audit log, with who, whom and why, *before* anything is returned;
/// if the audit log cannot be written nothing is revealed. 401 without credentials, 403 without the role or for
/// another patient, 400 without a reason, 404 for an unknown pseudonym, 429 over the rate limit. `/reid/reveal`
/// answers CORS only for the origins of `cors`.
public struct ReidEndpoint: Sendable {
    public let vault: PatientVault
    public let principals: ReidPrincipals
    public let audit: AuditLog
    public let limiter: ReidRateLimiter
    /// Browser origins allowed to call `/reid/reveal` directly (the oversight page's reveal).
    public let cors: ReidCORS
    let logger: Logger

    public init(
        vault: PatientVault, principals: ReidPrincipals, audit: AuditLog, limiter: ReidRateLimiter,
        cors: ReidCORS = ReidCORS(), logger: Logger
    ) {
        self.vault = vault
        self.principals = principals
        self.audit = audit
        self.limiter = limiter
        self.cors = cors
        self.logger = logger
    }

    struct RevealRequest: Decodable {
        var pseudonym: String
        var reason: String?
    }

    struct GrantRequest: Decodable {
        var pseudonym: String
        var grantee: String
        var reason: String?
        var ttlSeconds: Int?
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: HTTPMetricsMiddleware(service: "deid"))
        router.post("/reid/reveal") { request, _ in
            cors.decorate(await reveal(request), for: request)
        }
        router.on("/reid/reveal", method: .options) { request, _ in
            cors.preflight(request)
        }
        router.post("/reid/grants") { request, _ in
            await grant(request)
        }
        return router
    }

    enum Caller {
        case principal(ReidPrincipals.Principal)
        case grant(ReidGrant)

        var name: String {
            switch self {
            case .principal(let principal): "user:\(principal.id)"
            case .grant(let grant): "grant:\(grant.grantee)"
            }
        }
    }

    func caller(_ request: Request) -> Caller? {
        guard let header = request.headers[.authorization] else { return nil }
        if header.hasPrefix("Bearer "), let principal = principals.principal(token: String(header.dropFirst(7))) {
            return .principal(principal)
        }
        if header.hasPrefix("Grant "), let grant = ReidGrant.verify(String(header.dropFirst(6)), keyring: vault.keyring) {
            return .grant(grant)
        }
        return nil
    }

    func reveal(_ request: Request) async -> Response {
        guard let caller = caller(request) else { return Self.problem(401, "credentials required") }
        guard let body: RevealRequest = await Self.decode(request), let pseudonym = Pseudonym(body.pseudonym) else {
            return Self.problem(400, "body must be {\"pseudonym\": \"p1...\", \"reason\": \"...\"}")
        }
        guard let reason = body.reason?.trimmingCharacters(in: .whitespaces), reason.count >= 5 else {
            return Self.problem(400, "a reason is required")
        }
        switch caller {
        case .principal(let principal) where !principal.roles.contains("reidentify"):
            return await denied(caller, pseudonym, "role reidentify missing")
        case .grant(let grant) where grant.pseudonym != pseudonym:
            return await denied(caller, pseudonym, "grant is for another patient")
        case .grant(let grant) where grant.expires < Date():
            return await denied(caller, pseudonym, "grant expired")
        default:
            break
        }
        guard limiter.allow(caller.name) else {
            Counter(label: "vigil_deid_reid_requests_total", dimensions: [("outcome", "rate_limited")]).increment()
            return Self.problem(429, "too many re-identifications; try again in a minute")
        }
        do {
            guard let patient = try await vault.reveal(pseudonym) else { return Self.problem(404, "unknown pseudonym") }
            // Audit first: no record, no reveal.
            _ = try await audit.append(
                actor: caller.name, action: "deid.reveal", subject: "patient:\(pseudonym.rawValue)", reason: reason)
            Counter(label: "vigil_deid_reid_requests_total", dimensions: [("outcome", "revealed")]).increment()
            return Self.json(200, try VigilJSON.encode(patient))
        } catch {
            logger.error("re-identification failed", metadata: ["error": "\(type(of: error))"])
            return Self.problem(503, "re-identification unavailable")
        }
    }

    func grant(_ request: Request) async -> Response {
        guard case .principal(let principal)? = caller(request) else { return Self.problem(401, "credentials required") }
        guard principal.roles.contains("grant") else {
            return await denied(.principal(principal), nil, "role grant missing")
        }
        guard let body: GrantRequest = await Self.decode(request), let pseudonym = Pseudonym(body.pseudonym),
            !body.grantee.isEmpty, !body.grantee.contains("."), body.grantee.count <= 64
        else { return Self.problem(400, "body must be {\"pseudonym\", \"grantee\", \"reason\", \"ttlSeconds\"}") }
        guard let reason = body.reason, reason.count >= 5 else { return Self.problem(400, "a reason is required") }
        let ttl = min(max(body.ttlSeconds ?? 900, 60), 3600)
        let grant = ReidGrant(
            pseudonym: pseudonym, grantee: body.grantee, expires: Date().addingTimeInterval(Double(ttl)).rounded())
        do {
            _ = try await audit.append(
                actor: "user:\(principal.id)", action: "deid.grant", subject: "patient:\(pseudonym.rawValue)",
                reason: reason, details: ["grantee": body.grantee, "ttlSeconds": String(ttl)])
        } catch {
            return Self.problem(503, "re-identification unavailable")
        }
        let token = grant.token(keyring: vault.keyring)
        let reply = try? JSONSerialization.data(
            withJSONObject: ["token": token, "expires": Timestamp.format(grant.expires) ?? ""], options: [.sortedKeys])
        return Self.json(201, Array(reply ?? Data()))
    }

    /// Denials are audited too: an attempt without the right is worth knowing about.
    func denied(_ caller: Caller, _ pseudonym: Pseudonym?, _ why: String) async -> Response {
        Counter(label: "vigil_deid_reid_requests_total", dimensions: [("outcome", "denied")]).increment()
        _ = try? await audit.append(
            actor: caller.name, action: "deid.reveal_denied", subject: "patient:\(pseudonym?.rawValue ?? "-")",
            details: ["why": why])
        return Self.problem(403, why)
    }

    static func decode<T: Decodable>(_ request: Request) async -> T? {
        guard let buffer = try? await request.body.collect(upTo: 64 * 1024) else { return nil }
        return try? JSONDecoder().decode(T.self, from: Data(buffer.readableBytesView))
    }

    static func problem(_ status: Int, _ detail: String) -> Response {
        let body = try? JSONSerialization.data(
            withJSONObject: ["type": "about:blank", "status": status, "detail": detail], options: [.sortedKeys])
        var response = json(status, Array(body ?? Data()))
        response.headers[.contentType] = "application/problem+json"
        return response
    }

    static func json(_ status: Int, _ bytes: [UInt8]) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension Date {
    fileprivate func rounded() -> Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
