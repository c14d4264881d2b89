import Foundation
import VigilModelCore

extension ShadowReport {
    /// The readable report: what was compared, the figures side by side, the episodes that differ.
    public func markdown() -> String {
        var lines = ["# Shadow replay", ""]
        let window = "\(windowFrom.map(Self.time) ?? "the beginning") to \(windowTo.map(Self.time) ?? "now")"
        lines.append("Risk records stored from \(window): \(records). Generated \(Self.time(generatedAt)). Nobody was notified.")
        lines.append("")
        lines.append("| | policy | records |")
        lines.append("|---|---|---|")
        for (name, c) in [("production", production), ("candidate", candidate)] {
            lines.append("| \(name) | \(c.policyName) \(c.policyVersion) (`\(c.policyHash.prefix(19))…`) | \(c.records) |")
        }
        lines.append("")
        lines.append("## Figures by condition")
        lines.append("")
        lines.append("| condition | | episodes | pages | alerts / 100 patient-days | patients alerted | PPV | sensitivity | median lead (h) |")
        lines.append("|---|---|---:|---:|---:|---:|---:|---:|---:|")
        for row in figures {
            for (name, f) in [("production", row.production), ("candidate", row.candidate)] {
                lines.append(
                    "| \(row.condition) | \(name) | \(f.episodes) | \(f.pages) | \(Self.number(f.alertsPer100PatientDays)) | "
                        + "\(f.patientsAlerted) of \(f.patients) | \(Self.percent(f.ppv)) | \(Self.percent(f.sensitivity)) | "
                        + "\(f.medianLeadHours.map(Self.number) ?? "–") |")
            }
        }
        lines.append("")
        lines.append(
            "An alert counts for a confirmed outcome when raised at most \(Self.number(outcomeWindow.earliestHours)) h before "
                + "onset and at most \(Self.number(outcomeWindow.latestHours)) h after. PPV and sensitivity are shown only "
                + "where outcomes are known (\(figures.map { "\($0.condition): \($0.production.outcomePatients) patients" }.joined(separator: ", "))). "
                + "Pages include reminders and escalations as if nobody acknowledged. Episodes are the same when the same "
                + "record opened them: one that opens later under the candidate shows as production-only plus candidate-only.")
        lines.append("")
        lines.append("## Episodes that differ (\(diff.count))")
        lines.append("")
        if diff.isEmpty {
            lines.append("None: the candidate raises exactly the production alerts.")
        } else {
            lines.append("| patient | condition | change | production | candidate |")
            lines.append("|---|---|---|---|---|")
            for change in diff {
                lines.append(
                    "| \(change.patient.rawValue.prefix(16))… | \(change.condition) | \(change.kind) | "
                        + "\(Self.episode(change.production)) | \(Self.episode(change.candidate)) |")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func episode(_ episode: ShadowEpisode?) -> String {
        guard let episode else { return "–" }
        return "\(episode.maxSeverity.rawValue) from \(time(episode.openedAt)), \(episode.pages) page(s)"
    }

    static func time(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }

    static func number(_ value: Double) -> String { String(format: "%.1f", value) }

    static func percent(_ value: Double?) -> String { value.map { String(format: "%.1f %%", $0 * 100) } ?? "–" }
}
