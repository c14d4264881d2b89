import Foundation
import Hummingbird
import VigilModelCore

extension NotificationAPI {
    var gates: ModelGates { ModelGates(store: store) }
    var fatigue: FatigueQueries { FatigueQueries(pool: store.pool) }

    func addModelRoutes(to router: Router<NotifyContext>) {
        router.get("/api/models") { request, context in
            await respond {
                _ = try await authorize(request, context, .readModels)
                return JSONBody.response(200, ["models": try await gates.list().map(Self.json)])
            }
        }
        for verb in ["stop", "restart"] {
            router.post("/api/models/:id/\(verb)") { request, context in
                await respond {
                    let (principal, _) = try await authorize(request, context, .changeModels)
                    guard let id = context.parameters.get("id"), ModelGates.isValidID(id) else {
                        throw Problem(400, "a model id is 1 to 128 letters, digits, dots, dashes or underscores")
                    }
                    guard let body = await JSONBody.object(request) else {
                        throw Problem(400, "the body must be a JSON object")
                    }
                    let reason = try Self.reason(body["reason"] as? String)
                    let retracted = try await gates.change(id, stop: verb == "stop", reason: reason, by: principal)
                    let model = try await gates.list().first { $0.id == id }.map(Self.json) ?? [:]
                    return JSONBody.response(200, ["model": model, "retracted": retracted])
                }
            }
        }
        router.get("/api/fatigue") { request, context in
            await respond {
                _ = try await authorize(request, context, .readFatigue)
                let (from, to) = try Self.window(
                    request.uri.queryParameters.get("from"), request.uri.queryParameters.get("to"))
                return JSONBody.response(200, Self.json(try await fatigue.figures(from: from, to: to)))
            }
        }
    }

    /// A stop or restart needs a stated reason: it is Art. 14 evidence.
    static func reason(_ text: String?) throws(Problem) -> String {
        let reason = text?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        guard reason.count >= 5 else { throw Problem(422, "a reason of at least 5 characters is required") }
        return reason
    }

    /// `from`/`to` as RFC 3339 times; by default the last 7 days.
    static func window(_ from: String?, _ to: String?, now: Date = Date()) throws(Problem) -> (Date, Date) {
        func parse(_ text: String?, _ fallback: Date) throws(Problem) -> Date {
            guard let text else { return fallback }
            guard let date = Timestamp.parse(text) else { throw Problem(400, "from and to must be RFC 3339 times") }
            return date
        }
        let end = try parse(to, now)
        let start = try parse(from, end.addingTimeInterval(-7 * 86400))
        guard start < end else { throw Problem(400, "from must be before to") }
        return (start, end)
    }

    static func json(_ model: ModelGates.Model) -> [String: Any] {
        var json: [String: Any] = [
            "id": model.id, "status": model.status, "versions": model.versions, "liveAlerts": model.liveAlerts,
        ]
        json["reason"] = model.reason
        json["changedBy"] = model.changedBy
        json["changedAt"] = model.changedAt.map(AlertJSON.time)
        json["lastDecisionAt"] = model.lastDecisionAt.map(AlertJSON.time)
        return json
    }

    static func json(_ figures: FatigueFigures) -> [String: Any] {
        var json: [String: Any] = [
            "from": AlertJSON.time(figures.from), "to": AlertJSON.time(figures.to), "patientDays": figures.patientDays,
            "alerts": figures.alerts, "pages": figures.pages, "overridden": figures.overridden,
            "addressed": figures.addressed, "closed": figures.closed,
            "closedUnacknowledged": figures.closedUnacknowledged,
            "overridesByReason": Dictionary(
                uniqueKeysWithValues: figures.overridesByReason.map { ($0.code, $0.count) }),
            "byRule": figures.byRule.map {
                [
                    "rule": $0.rule, "alerts": $0.alerts, "pages": $0.pages, "addressed": $0.addressed,
                    "overridden": $0.overridden,
                ]
            },
        ]
        json["alertsPerPatientDay"] = figures.alertsPerPatientDay
        json["pagesPerPatientDay"] = figures.pagesPerPatientDay
        json["overrideRate"] = figures.overrideRate
        json["medianSecondsToAcknowledge"] = figures.medianSecondsToAcknowledge
        json["p90SecondsToAcknowledge"] = figures.p90SecondsToAcknowledge
        json["neverAcknowledgedShare"] = figures.neverAcknowledgedShare
        return json
    }
}
