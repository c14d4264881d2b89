import Foundation
import VigilModelCore

/// Episodes and figures as the templates' contexts: plain text only (the templates escape it).
enum ViewModels {
    static func severity(_ severity: AlertEvent.Severity) -> [String: Any] {
        let icons: [AlertEvent.Severity: String] = [
            .critical: "‼", .high: "▲", .medium: "■", .low: "▽", .info: "ℹ",
        ]
        return ["name": severity.rawValue, "icon": icons[severity] ?? "•", "class": "sev-\(severity.rawValue)"]
    }

    /// The rule's score bound as text, e.g. `≥ 7`, or the part bound for rules like NEWS2's single 3.
    static func threshold(_ episode: EpisodeState, _ policy: AlertPolicy) -> String {
        guard let rule = policy.condition(id: episode.condition)?.rule(id: episode.rule) else { return "–" }
        func text(_ bound: AlertPolicy.Threshold) -> String {
            if let gte = bound.gte { return "≥ \(number(gte))" }
            if let gt = bound.gt { return "> \(number(gt))" }
            return "–"
        }
        if let score = rule.when.score { return text(score) }
        return rule.when.anyPart.map { "any part " + text($0) } ?? "–"
    }

    static func row(_ episode: EpisodeState, _ policy: AlertPolicy, now: Date) -> [String: Any] {
        var row: [String: Any] = [
            "id": episode.id.rawValue, "severity": severity(episode.severity), "rule": episode.rule,
            "unit": episode.unit ?? "–", "patient": episode.patient.rawValue,
            "patientShort": short(episode.patient.rawValue),
            "score": number(episode.score), "threshold": threshold(episode, policy), "status": episode.status.rawValue,
            "age": age(now.timeIntervalSince(episode.openedAt)), "opened": time(episode.openedAt),
            "openedISO": Timestamp.format(episode.openedAt) ?? "",
            "level": episode.escalationLevel, "ackedBy": episode.ackedBy.map(actorName) ?? "–",
        ]
        row["snoozedUntil"] = episode.snoozedUntil.map(time)
        return row
    }

    static func timeline(_ revisions: [AlertQueries.Revision]) -> [[String: Any]] {
        revisions.map {
            var row: [String: Any] = [
                "revision": $0.revision, "time": time($0.time), "action": $0.action, "severity": $0.severity,
                "actor": $0.actor.map(actorName) ?? "–", "code": $0.reasonCode ?? "", "page": $0.page ? "yes" : "no",
            ]
            // Absent, not empty: an empty string is a true section in Mustache.
            row["reason"] = $0.reason.flatMap { $0.isEmpty ? nil : $0 }
            return row
        }
    }

    static func factors(_ episode: EpisodeState) -> [[String: Any]] {
        episode.parts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
            .map { ["name": $0.key, "contribution": number($0.value), "observed": episode.observed?[$0.key].map(number) ?? "–"] }
    }

    /// Pseudonyms are long; the table shows the start, the `abbr` title the whole.
    static func short(_ pseudonym: String) -> String {
        pseudonym.count > 16 ? String(pseudonym.prefix(14)) + "…" : pseudonym
    }

    static func actorName(_ actor: String) -> String {
        actor.hasPrefix("user:") ? String(actor.dropFirst(5)) : actor
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e9 ? String(Int(value)) : String(format: "%.3g", value)
    }

    static func age(_ seconds: TimeInterval) -> String {
        let minutes = Int(max(seconds, 0) / 60)
        if minutes < 1 { return "under 1 min" }
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 48 * 60 { return "\(minutes / 60) h \(minutes % 60) min" }
        return "\(minutes / 1440) d"
    }

    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return formatter.string(from: date) + " UTC"
    }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "–" }

    static func minutes(_ seconds: Double?) -> String { seconds.map { String(format: "%.1f min", $0 / 60) } ?? "–" }

    static func ratio(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "–" }
}
