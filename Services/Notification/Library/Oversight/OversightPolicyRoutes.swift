import Foundation
import Hummingbird
import VigilModelCore

extension NotificationAPI {
    /// Policy versions for the people who approve them: each proposal with its YAML and the shadow-replay
    /// report it carries, so the second admin sees what the change would do before approving it (through
    /// `POST /api/policies/{version}/approve`).
    func addOversightPolicyRoutes(to router: Router<NotifyContext>) {
        router.get("/oversight/policies") { request, context in
            await page {
                let user = try await user(request, context, .readPolicies)
                let current = try await policyVersions.current()?.version
                var page = user.layout
                page["title"] = "Alert policies"
                page["running"] = ["name": store.engine.policy.name, "version": store.engine.policy.version]
                page["versions"] = try await policyVersions.list().map { PolicyView.row($0, current: current) }
                return pages.render("policies", page)
            }
        }
        router.get("/oversight/policies/:version") { request, context in
            await page {
                let user = try await user(request, context, .readPolicies)
                guard let number = context.parameters.get("version").flatMap(Int.init),
                    let version = try await policyVersions.version(number)
                else { throw Problem(404, "No such policy version.") }
                var page = user.layout
                page["title"] = "Alert policy version \(number)"
                page["version"] = PolicyView.row(version, current: try await policyVersions.current()?.version)
                page["yaml"] = version.yaml ?? ""
                page.merge(PolicyView.report(version.shadowReport)) { $1 }
                return pages.render("policy", page)
            }
        }
    }
}

enum PolicyView {
    static func row(_ v: PolicyVersion, current: Int?) -> [String: Any] {
        var row: [String: Any] = [
            "number": v.version, "name": v.name, "label": v.label, "status": v.status.rawValue,
            "current": v.version == current, "proposedBy": ViewModels.actorName(v.proposedBy),
            "proposedAt": ViewModels.time(v.proposedAt), "reason": v.reason, "hash": String(v.hash.dropFirst(7).prefix(12)),
        ]
        row["approvedBy"] = v.approvedBy.map(ViewModels.actorName)
        row["effectiveAt"] = v.effectiveAt.map(ViewModels.time)
        row["rolledBackBy"] = v.rolledBackBy.map(ViewModels.actorName)
        return row
    }

    /// The attached report as tables when it is a `vigil shadow` report, else its JSON text as is.
    static func report(_ text: String?) -> [String: Any] {
        guard let text else { return [:] }
        guard let report = try? VigilJSON.decode(ShadowReport.self, from: Array(text.utf8)) else {
            return ["rawReport": text]
        }
        var figures: [[String: Any]] = []
        for row in report.figures {
            for (name, f) in [("production", row.production), ("candidate", row.candidate)] {
                figures.append([
                    "condition": row.condition, "config": name, "episodes": f.episodes, "pages": f.pages,
                    "per100": String(format: "%.1f", f.alertsPer100PatientDays),
                    "alerted": "\(f.patientsAlerted) of \(f.patients)", "ppv": MonitoringView.percent(f.ppv),
                    "sensitivity": MonitoringView.percent(f.sensitivity),
                    "lead": f.medianLeadHours.map { String(format: "%.1f h", $0) } ?? "–",
                ])
            }
        }
        return [
            "shadow": [
                "records": report.records, "generated": ViewModels.time(report.generatedAt), "figures": figures,
                "production": "\(report.production.policyName) \(report.production.policyVersion)",
                "candidate": "\(report.candidate.policyName) \(report.candidate.policyVersion) on \(report.candidate.records)",
                "diffCount": report.diff.count,
                "diff": report.diff.prefix(200).map { change in
                    [
                        "patient": ViewModels.short(change.patient.rawValue), "full": change.patient.rawValue,
                        "condition": change.condition, "kind": change.kind,
                        "production": ShadowReport.episode(change.production), "candidate": ShadowReport.episode(change.candidate),
                    ]
                },
            ] as [String: Any]
        ]
    }
}
