import Foundation
import Hummingbird
import VigilModelCore

extension NotificationAPI {
    func addOversightModelRoutes(to router: Router<NotifyContext>) {
        router.get("/oversight/models") { request, context in
            await page {
                let user = try await user(request, context, .readModels)
                let notice = request.uri.queryParameters.get("done").map {
                    $0 == "stop" ? "Model stopped." : "Model restarted."
                }
                return pages.render("models", try await modelsContext(user, notice: notice))
            }
        }
        router.post("/oversight/models/:id/:verb") { request, context in
            await page {
                let form = await FormBody.read(request) ?? [:]
                let user = try await user(request, context, .changeModels, form: form)
                let verb = context.parameters.get("verb") ?? ""
                guard let id = context.parameters.get("id"), ModelGates.isValidID(id),
                    ["stop", "restart"].contains(verb)
                else { throw Problem(404, "No such model action.") }
                do {
                    let reason = try Self.reason(form["reason"])
                    _ = try await gates.change(id, stop: verb == "stop", reason: reason, by: user.principal)
                    return OversightPages.redirect("/oversight/models?done=\(verb)")
                } catch let problem as Problem where problem.status == 422 {
                    var page = try await modelsContext(user, errorModel: id)
                    page["errors"] = [["message": "Give a reason of at least 5 characters.", "field": "reason-\(id)"]]
                    return pages.render("models", page, status: 422)
                }
            }
        }
        router.get("/oversight/monitoring") { request, context in
            await page {
                let user = try await user(request, context, .readFatigue)
                let queries = MonitoringQueries(pool: store.pool)
                var page = user.layout
                page["title"] = "Model safety"
                page.merge(
                    MonitoringView.context(
                        try await queries.windows(), try await queries.governanceAlerts(),
                        thresholds: MonitoringThresholds())
                ) { $1 }
                return pages.render("monitoring", page)
            }
        }
        router.get("/oversight/fatigue") { request, context in
            await page {
                let user = try await user(request, context, .readFatigue)
                let query = request.uri.queryParameters
                let (from, to) = try Self.window(Self.day(query.get("from")), Self.day(query.get("to")))
                var page = user.layout
                page["title"] = "Alert fatigue"
                page["figures"] = Self.fatigueView(try await fatigue.figures(from: from, to: to))
                return pages.render("fatigue", page)
            }
        }
    }

    func modelsContext(_ user: OversightUser, errorModel: String? = nil, notice: String? = nil) async throws -> [String:
        Any]
    {
        var page = user.layout
        page["title"] = "Models"
        page["notice"] = notice
        page["canChange"] = user.can(.changeModels)
        page["models"] = try await gates.list().map { model in
            [
                "id": model.id, "status": model.status, "stopped": model.status == "stopped",
                "versions": model.versions.joined(separator: ", "), "live": model.liveAlerts,
                "reason": model.reason ?? "", "changedBy": model.changedBy.map(ViewModels.actorName) ?? "",
                "changedAt": model.changedAt.map(ViewModels.time) ?? "", "invalid": model.id == errorModel,
            ] as [String: Any]
        }
        return page
    }

    /// `2025-01-31` from a date input, or an RFC 3339 time.
    static func day(_ text: String?) -> String? {
        guard let text, !text.isEmpty else { return nil }
        return text.count == 10 ? text + "T00:00:00Z" : text
    }

    static func fatigueView(_ figures: FatigueFigures) -> [String: Any] {
        [
            "from": ViewModels.time(figures.from), "to": ViewModels.time(figures.to),
            "patientDays": figures.patientDays, "alerts": figures.alerts, "pages": figures.pages,
            "alertsPerPatientDay": ViewModels.ratio(figures.alertsPerPatientDay),
            "pagesPerPatientDay": ViewModels.ratio(figures.pagesPerPatientDay),
            "overrideRate": ViewModels.percent(figures.overrideRate), "overridden": figures.overridden,
            "addressed": figures.addressed, "median": ViewModels.minutes(figures.medianSecondsToAcknowledge),
            "p90": ViewModels.minutes(figures.p90SecondsToAcknowledge),
            "neverAcknowledged": ViewModels.percent(figures.neverAcknowledgedShare),
            "reasons": figures.overridesByReason.map { ["code": $0.code, "count": $0.count] },
            "rules": figures.byRule.map {
                [
                    "rule": $0.rule, "alerts": $0.alerts, "pages": $0.pages, "addressed": $0.addressed,
                    "overridden": $0.overridden,
                ]
            },
        ]
    }
}
