import Foundation
import VigilModelCore

/// What a failed form submission re-renders with: the error summary and the field it points at.
struct FormProblem: Sendable {
    var form: String
    var message: String
    var fieldID: String
    /// What the user had entered, so a re-rendered form keeps it.
    var selected: String?
    var otherText: String?
}

extension NotificationAPI {
    /// The alert page's context: the alert, its 24 h trend, factors, freshness, model, policy, timeline and the
    /// forms this user may use.
    func alertContext(
        _ episode: EpisodeState, _ user: OversightUser, problem: FormProblem? = nil, notice: String? = nil,
        now: Date = Date()
    ) async throws -> [String: Any] {
        let policy = store.engine.policy
        let (end, trend) = try await queries.trend(of: episode)
        let start = end.addingTimeInterval(-24 * 3600)
        let threshold = policy.condition(id: episode.condition)?.rule(id: episode.rule)?.when.score?.gte
        var context = user.layout
        var alert = ViewModels.row(episode, policy, now: now)
        alert["condition"] = episode.condition
        alert["scoreName"] = episode.scoreName
        alert["revision"] = episode.revision
        alert["targets"] = episode.targets.joined(separator: ", ")
        alert["live"] = episode.status.isLive
        context["title"] = "Alert \(episode.rule)"
        context["alert"] = alert
        if let line = Sparkline(trend, from: start, to: end, threshold: threshold) {
            var spark: [String: Any] = [
                "points": line.points, "min": ViewModels.number(line.minimum), "max": ViewModels.number(line.maximum),
                "count": trend.count, "width": Sparkline.width, "height": Sparkline.height,
                "lastX": line.last.x, "lastY": line.last.y,
            ]
            spark["thresholdY"] = line.thresholdY
            spark["rows"] = trend.reversed().map { ["time": ViewModels.time($0.0), "value": ViewModels.number($0.1)] }
            context["trend"] = spark
        }
        context["factors"] = ViewModels.factors(episode)
        if let missing = episode.missingInputs, !missing.isEmpty {
            var note: [String: Any] = ["names": missing.sorted().joined(separator: ", "), "count": missing.count]
            note["upperBound"] = episode.upperBound.map(ViewModels.number)
            context["missing"] = note
        }
        if let asOf = episode.inputsAsOf {
            // Behind the patient's newest event, not the wall clock: both are shifted by de-identification.
            let behind = end.timeIntervalSince(asOf)
            context["freshness"] = [
                "asOf": ViewModels.time(asOf), "behind": ViewModels.age(behind),
                "stale": behind > Double(policy.defaults.staleInputs.seconds),
                "scored": ViewModels.age(now.timeIntervalSince(episode.lastRecordAt)),
            ]
        }
        let status = try await gates.list().first { $0.id == episode.model.id }?.status ?? "active"
        context["model"] = [
            "id": episode.model.id, "version": episode.model.version, "status": status,
            "sha": String(episode.model.sha256.hex.prefix(12)),
        ]
        context["limitations"] = ModelCards.limitations(
            directory: configuration.modelCards, model: episode.model.id, version: episode.model.version)
        context["policy"] = try await policyInfo(episode.policyHash)
        context["timeline"] = ViewModels.timeline(try await queries.revisions(episode.id))
        context["notice"] = notice
        context["canReveal"] =
            configuration.reid != nil && Authorizer.allows(user.principal, .revealIdentity, unit: episode.unit)
        addForms(&context, episode, user, policy, problem)
        return context
    }

    private func addForms(
        _ context: inout [String: Any], _ episode: EpisodeState, _ user: OversightUser, _ policy: AlertPolicy,
        _ problem: FormProblem?
    ) {
        guard episode.status.isLive, Authorizer.allows(user.principal, .actOnAlerts, unit: episode.unit) else { return }
        context["canAct"] = true
        context["canAcknowledge"] = episode.status != .acknowledged
        let snooze = policy.defaults.snooze
        if episode.status != .snoozed, snooze.allowedFor.contains(episode.severity) {
            let cap = snooze.max.seconds / 60
            context["snoozeOptions"] = [5, 10, 15, 30, 60, 120, 240].filter { $0 <= cap }.map { ["minutes": $0] }
        } else {
            context["snoozeNote"] = "\(episode.severity.rawValue) alerts cannot be snoozed now."
        }
        context["reasons"] = OverrideReason.allCases.map { reason in
            [
                "code": reason.rawValue, "label": reason.rawValue.replacingOccurrences(of: "-", with: " "),
                "checked": problem?.selected == reason.rawValue,
            ]
        }
        context["otherText"] = problem?.otherText ?? ""
        if let problem {
            context["errors"] = [["message": problem.message, "field": problem.fieldID]]
            context["\(problem.form)Error"] = problem.message
        }
    }

    private func policyInfo(_ hash: String) async throws -> [String: Any] {
        let rows = try await store.pool.query("SELECT name, version FROM notify.policies WHERE hash = \(hash)")
        let (name, version) = try rows.first?.decode((String, String).self) ?? ("unknown", "–")
        let prefix = hash.hasPrefix("sha256:") ? String(hash.dropFirst(7).prefix(12)) : String(hash.prefix(12))
        return ["name": name, "version": version, "hash": prefix]
    }
}

/// The "Limitations" section of a model card, `<dir>/<id>/<version>.md`; nil when there is none.
enum ModelCards {
    static func limitations(directory: String?, model: String, version: String) -> String? {
        guard let directory, ModelGates.isValidID(model), ModelGates.isValidID(version),
            let text = try? String(contentsOfFile: "\(directory)/\(model)/\(version).md", encoding: .utf8)
        else { return nil }
        var lines: [Substring] = []
        var inside = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("#") {
                if inside { break }
                inside = line.lowercased().contains("limitations")
            } else if inside {
                lines.append(line)
            }
        }
        let section = lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        return section.isEmpty ? nil : section
    }
}
