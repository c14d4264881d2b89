import Foundation
import Hummingbird
import VigilModelCore

/// Alert policy versions (issue 8): admins and auditors read them; an admin proposes a validated YAML with its
/// shadow-replay report, a different admin approves it (optionally effective later) or anyone of them rejects
/// it, and an admin rolls back the version in force. Each step is audited by `PolicyVersionStore`, every refused
/// one as `api.denied`.
extension NotificationAPI {
    var policyVersions: PolicyVersionStore { PolicyVersionStore(pool: store.pool) }

    /// A proposal carries a YAML policy and a shadow report: more room than other bodies.
    static let proposalLimit = 1024 * 1024

    func addPolicyRoutes(to router: Router<NotifyContext>) {
        router.get("/api/policies") { request, context in
            await respond {
                _ = try await authorize(request, context, .readPolicies)
                let versions = try await policyVersions.list()
                let current = try await policyVersions.current()?.version
                let engine = store.engine
                let active: [String: Any] = [
                    "hash": engine.policyHash, "name": engine.policy.name, "policyVersion": engine.policy.version,
                ]
                return JSONBody.response(
                    200, ["versions": versions.map { PolicyJSON.summary($0, current: current) }, "active": active])
            }
        }
        router.get("/api/policies/:version") { request, context in
            await respond {
                _ = try await authorize(request, context, .readPolicies)
                guard let version = try await policyVersions.version(try versionNumber(context)) else {
                    throw Problem(404, "no such policy version")
                }
                let current = try await policyVersions.current()?.version
                return JSONBody.response(200, PolicyJSON.detail(version, current: current))
            }
        }
        router.post("/api/policies") { request, context in
            await respond { try await propose(request, context) }
        }
        for verb in ["approve", "reject", "rollback"] {
            router.post("/api/policies/:version/\(verb)") { request, context in
                await respond { try await decide(verb, request, context) }
            }
        }
    }

    func propose(_ request: Request, _ context: NotifyContext) async throws -> Response {
        let (principal, _) = try await authorize(request, context, .changePolicies)
        guard let body = await JSONBody.object(request, limit: Self.proposalLimit) else {
            throw Problem(400, "the body must be a JSON object of at most 1 MiB")
        }
        guard let yaml = body["yaml"] as? String, !yaml.isEmpty else {
            throw Problem(422, "yaml must be the alert policy as a YAML string")
        }
        let reason = try Self.reason(body["reason"] as? String)
        // Stored as sorted JSON text, which its sha256 covers.
        guard let report = body["shadowReport"] as? [String: Any], !report.isEmpty,
            let text = try? JSONSerialization.data(
                withJSONObject: report, options: [.sortedKeys, .withoutEscapingSlashes])
        else {
            throw Problem(422, "shadowReport must be the non-empty JSON object `vigil shadow` writes")
        }
        do {
            let version = try await policyVersions.propose(
                yaml: yaml, reason: reason, shadowReport: String(decoding: text, as: UTF8.self),
                by: policyActor(principal))
            return JSONBody.response(
                201, PolicyJSON.summary(version, current: nil), headers: [.location: "/api/policies/\(version.version)"]
            )
        } catch let error as AlertPolicyError {
            throw Problem(422, error.reason)
        } catch let error as PolicyChangeError {
            throw await problem(error, principal, request, context)
        }
    }

    /// Approve (`effectiveFrom` optional, `reason` optional), reject or roll back (`reason` required).
    func decide(_ verb: String, _ request: Request, _ context: NotifyContext) async throws -> Response {
        let (principal, _) = try await authorize(request, context, .changePolicies)
        let number = try versionNumber(context)
        guard let body = await JSONBody.object(request) else { throw Problem(400, "the body must be a JSON object") }
        let actor = policyActor(principal)
        do {
            let version: PolicyVersion
            switch verb {
            case "approve":
                var note: String?
                if let text = body["reason"] as? String { note = try Self.reason(text) }
                version = try await policyVersions.approve(
                    number, effectiveFrom: try Self.effectiveFrom(body["effectiveFrom"]), note: note, by: actor)
            case "reject":
                version = try await policyVersions.reject(
                    number, reason: try Self.reason(body["reason"] as? String), by: actor)
            default:
                version = try await policyVersions.rollback(
                    number, reason: try Self.reason(body["reason"] as? String), by: actor)
            }
            let current = try await policyVersions.current()?.version
            return JSONBody.response(200, PolicyJSON.summary(version, current: current))
        } catch let error as PolicyChangeError {
            throw await problem(error, principal, request, context)
        }
    }

    /// A refused step (same-person approval 403, wrong status 409, unknown version 404, back-dated 422) is
    /// audited as `api.denied` with the rule it broke, like any 403: who tried what on a policy is evidence.
    func problem(
        _ error: PolicyChangeError, _ principal: NotifyPrincipals.Principal, _ request: Request,
        _ context: NotifyContext
    ) async -> Problem {
        let status =
            switch error.code {
            case .notFound: 404
            case .conflict: 409
            case .invalid: 422
            case .samePerson: 403
            }
        return await refuse(principal, request, context, status, error.reason)
    }

    func policyActor(_ principal: NotifyPrincipals.Principal) -> PolicyVersionStore.Actor {
        PolicyVersionStore.Actor(id: principal.actor, role: Authorizer.actingRole(principal, .changePolicies))
    }

    func versionNumber(_ context: NotifyContext) throws(Problem) -> Int {
        guard let text = context.parameters.get("version"), let number = Int(text), number > 0 else {
            throw Problem(404, "no such policy version")
        }
        return number
    }

    /// An RFC 3339 time, or nil when absent.
    static func effectiveFrom(_ value: Any?) throws(Problem) -> Date? {
        switch value {
        case nil, is NSNull: return nil
        case let text as String:
            guard let date = Timestamp.parse(text) else { throw Problem(422, "effectiveFrom must be an RFC 3339 time") }
            return date
        default: throw Problem(422, "effectiveFrom must be an RFC 3339 time")
        }
    }
}
