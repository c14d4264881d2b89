import Foundation
import Hummingbird
import VigilModelCore

extension NotificationAPI {
    func addOversightAlertRoutes(to router: Router<NotifyContext>) {
        router.get("/oversight/alerts/:id") { request, context in
            await page {
                let user = try await user(request, context, .readAlerts)
                let episode = try await visibleEpisode(request, context, user)
                let done = request.uri.queryParameters.get("done").flatMap { Self.notices[$0] }
                return pages.render("alert", try await alertContext(episode, user, notice: done))
            }
        }
        router.post("/oversight/alerts/:id/:verb") { request, context in
            await page {
                let form = await FormBody.read(request) ?? [:]
                if context.parameters.get("verb") == "reveal" { return try await reveal(form, request, context) }
                let user = try await user(request, context, .actOnAlerts, form: form)
                return try await act(form, request, context, user)
            }
        }
    }

    static let notices = [
        "acknowledge": "Alert acknowledged.", "override": "Alert overridden.", "snooze": "Alert snoozed.",
    ]

    func visibleEpisode(_ request: Request, _ context: NotifyContext, _ user: OversightUser) async throws
        -> EpisodeState
    {
        guard let episode = try await queries.episode(try alertID(context)) else {
            throw Problem(404, "No such alert.")
        }
        guard Authorizer.allows(user.principal, .readAlerts, unit: episode.unit) else {
            throw PageRefusal.response(await pageDenied(user.principal, request, context, "alert outside your units"))
        }
        return episode
    }

    /// A form post: success redirects to the alert page (redirect-after-POST); a refused action re-renders
    /// it with the error summary, 422 for a wrong form and 409 when the alert changed meanwhile.
    func act(
        _ form: [String: String], _ request: Request, _ context: NotifyContext, _ user: OversightUser
    ) async throws -> Response {
        let id = try alertID(context)
        let verb = context.parameters.get("verb") ?? ""
        let action: HumanAction
        switch verb {
        case "acknowledge": action = .acknowledge
        case "override": action = .override(reasonCode: form["reasonCode"], text: form["text"])
        case "snooze": action = .snooze(minutes: Int(form["minutes"] ?? "") ?? 0)
        default: throw Problem(404, "No such action.")
        }
        do {
            _ = try await actions.perform(action, on: id, revision: Int(form["revision"] ?? ""), by: user.principal)
            return OversightPages.redirect("/oversight/alerts/\(id.rawValue)?done=\(verb)")
        } catch AlertActions.Refusal.notFound {
            throw Problem(404, "No such alert.")
        } catch AlertActions.Refusal.outOfScope {
            return await pageDenied(user.principal, request, context, "alert outside your units")
        } catch let error as AlertActionError {
            guard let episode = try await queries.episode(id) else { throw Problem(404, "No such alert.") }
            let problem = FormProblem(
                form: verb, message: Self.message(error, episode, form), fieldID: Self.field(verb, form),
                selected: form["reasonCode"], otherText: form["text"])
            let page = try await alertContext(episode, user, problem: problem)
            return pages.render("alert", page, status: error.code == .invalid ? 422 : 409)
        }
    }

    static func message(_ error: AlertActionError, _ episode: EpisodeState, _ form: [String: String]) -> String {
        switch error.code {
        case .invalid where form["reasonCode"].flatMap(OverrideReason.init(rawValue:)) == .other:
            "Explain the override in at least \(AlertEngine.minimumOverrideText) characters."
        case .invalid where form["minutes"] == nil: "Choose why this alert needs no action."
        case .invalid: error.reason.prefix(1).uppercased() + error.reason.dropFirst() + "."
        case .staleRevision:
            "This alert changed while you were looking at it (now revision \(episode.revision)). "
                + "Check the timeline, then try again."
        case .conflict: "This alert is \(episode.status.rawValue); the action is no longer possible."
        }
    }

    /// The field the error summary links to.
    static func field(_ verb: String, _ form: [String: String]) -> String {
        switch verb {
        case "override":
            OverrideReason(rawValue: form["reasonCode"] ?? "") == nil ? "reason-patient-not-at-risk" : "override-text"
        case "snooze": "snooze-minutes"
        default: "acknowledge-button"
        }
    }
}
