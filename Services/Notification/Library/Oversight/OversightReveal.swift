import Foundation
import Hummingbird

extension NotificationAPI {
    /// `POST /oversight/alerts/{id}/reveal` (design §7 "No PHI in notify"): a clinician covering the alert's unit
    /// gives a reason; notify asks deid for a 5-minute grant for that clinician and patient, audits
    /// `alert.reveal_grant`, and renders the alert page with the grant for `reveal.js`, which asks deid itself.
    /// 404 when the reveal is not configured, 403 (audited) outside the clinician's units, 422 without a reason.
    func reveal(_ form: [String: String], _ request: Request, _ context: NotifyContext) async throws -> Response {
        let user = try await user(request, context, .revealIdentity, form: form)
        guard let reid = configuration.reid else {
            throw Problem(404, "Identity reveal is not configured on this server.")
        }
        let episode = try await visibleEpisode(request, context, user)
        guard Authorizer.allows(user.principal, .revealIdentity, unit: episode.unit) else {
            return await pageDenied(user.principal, request, context, "alert outside your units")
        }
        let reason = (form["reason"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard reason.count >= 5 else {
            var page = try await alertContext(episode, user)
            let message = "Give a reason of at least 5 characters to reveal the identity."
            page["errors"] = [["message": message, "field": "reveal-reason"]]
            page["revealError"] = message
            return pages.render("alert", page, status: 422)
        }
        let grant: ReidGrantClient.Grant
        do {
            grant = try await reid.grant(
                pseudonym: episode.patient.rawValue, grantee: user.principal.id, reason: reason)
        } catch {
            logger.warning("reid grant failed", metadata: ["reid.failure": "\(error)"])
            throw Problem(503, "The re-identification service did not grant access. Try again shortly.")
        }
        // The grant token is a credential: it goes to the page, never to the audit log or the logs.
        try await audit.append(
            actor: user.principal.actor, action: "alert.reveal_grant", subject: "alert:\(episode.id.rawValue)",
            reason: reason, details: ["ttlSeconds": String(ReidGrantClient.ttlSeconds), "expires": grant.expires])
        var page = try await alertContext(episode, user)
        page["reveal"] = [
            "token": grant.token, "reidURL": reid.baseURL, "pseudonym": episode.patient.rawValue, "reason": reason,
            "expires": grant.expires,
        ]
        var response = pages.render("alert", page)
        response.headers[.contentSecurityPolicy] = OversightPages.contentSecurityPolicy(connect: reid.origin)
        return response
    }
}
