import Foundation

/// `evidence.md`: the pack for people, section by section in the order of the articles it serves. Everything in
/// it is also in evidence.json; long lists are cut here (and say so), never there.
enum EvidenceMarkdown {
    /// Rows per table before the rest is left to evidence.json.
    static let tableLimit = 500

    static func render(_ pack: EvidencePack, monitoringPlot: Bool) -> String {
        var out: [String] = []
        out.append("# Evidence pack \(pack.period.from) to \(pack.period.to)")
        out.append(
            "Generated \(pack.generatedAt) by `vigil evidence export` (schema `\(pack.schema)`). The period includes "
                + "its start and excludes its end. Machine-readable: [evidence.json](evidence.json). Patients appear "
                + "only as pseudonyms.")
        out += summary(pack)
        out += incidents(pack.incidentCandidates)
        out += recordKeeping(pack.recordKeeping)
        out += transparency(pack.transparency)
        out += oversight(pack.humanOversight)
        out += monitoring(pack.postMarketMonitoring, plot: monitoringPlot)
        return out.joined(separator: "\n\n") + "\n"
    }

    static func summary(_ pack: EvidencePack) -> [String] {
        let s = pack.summary
        var out = ["## Summary"]
        let chain = s.auditChainIntact ? s.auditChain : "**BROKEN**: \(s.auditChain)"
        out.append(s.findings.isEmpty ? "No findings." : s.findings.map { "- \(cell($0))" }.joined(separator: "\n"))
        out.append(
            table(
                ["Figure", "Value"],
                [
                    ["Audit chain", chain], ["Audit entries in the period", "\(s.auditEntries)"],
                    ["Model versions (in use)", "\(s.modelVersions) (\(s.modelVersionsInUse))"],
                    ["Alert policies", "\(s.policies)"], ["Acknowledgements", "\(s.acknowledgements)"],
                    ["Overrides", "\(s.overrides)"], ["Snoozes", "\(s.snoozes)"],
                    ["Stop-switch and status changes", "\(s.stopSwitchUses)"],
                    ["Identity reveals", "\(s.identityReveals)"],
                    ["Monitoring windows", "\(s.monitoringWindows)"], ["Governance alerts", "\(s.governanceAlerts)"],
                    ["Serious-incident candidates", "\(s.incidentCandidates)"],
                    ["Outcomes without a live model", "\(s.outcomesWithoutLiveModel)"],
                ]))
        return out
    }

    static func incidents(_ candidates: [IncidentCandidate]) -> [String] {
        var out = [
            "## Serious-incident candidates (Art. 73)",
            "Each needs a person to decide whether it is a serious incident to report. Kinds: `missed-alert` (a "
                + "confirmed outcome without a timely alert), `alert-on-stopped-model`, `critical-governance-alert`.",
        ]
        guard !candidates.isEmpty else { return out + ["None in this period."] }
        out.append(
            table(
                ["Kind", "Summary", "Patient", "Model", "Times", "Ids"],
                candidates.map { c in
                    [
                        c.kind.rawValue, c.summary, c.patient ?? "", c.modelId ?? "", pairs(c.times), pairs(c.ids),
                    ]
                }))
        return out
    }

    static func recordKeeping(_ section: RecordKeeping) -> [String] {
        var out = ["## Art. 12 record-keeping: the audit log"]
        let chain = section.chain
        out.append(
            chain.status == "intact"
                ? "The whole hash chain verifies: \(chain.verifiedEntries) entries, head seq \(chain.headSeq ?? 0), "
                    + "head hash `\(chain.headHash ?? "")`."
                : "**The hash chain is broken** at seq \(chain.brokenSeq ?? 0) (\(chain.brokenReason ?? "")); the "
                    + "\(chain.verifiedEntries) entries before it verify.")
        out.append(
            "\(section.entries.count) entries in the period. evidence.json holds each with its stored hashes, so any entry "
                + "can be re-checked from the extract alone.")
        out.append(
            table(
                ["Seq", "At", "Actor", "Action", "Subject", "Reason"],
                section.entries.prefix(tableLimit).map {
                    [String($0.seq), $0.at, $0.actor, $0.action, $0.subject, $0.reason ?? ""]
                }))
        out += cut(section.entries.count)
        return out
    }

    static func transparency(_ section: Transparency) -> [String] {
        var out = ["## Art. 13 transparency: models and alert policies", "### Model versions"]
        out.append(
            table(
                ["Model", "Version", "Status", "Kind", "SHA-256", "Live / shadow decisions", "Registered"],
                section.models.map { m in
                    [
                        m.id, m.version, m.status ?? "unregistered", m.kind ?? "", m.sha256.map { "`\($0)`" } ?? "",
                        "\(m.liveDecisions) / \(m.shadowDecisions)", m.registeredAt ?? "",
                    ]
                }))
        for model in section.models where !(model.card ?? "").isEmpty {
            out.append("#### Model card: \(model.id) \(model.version)")
            out.append(
                (model.card ?? "").split(separator: "\n", omittingEmptySubsequences: false).map { "> \($0)" }.joined(
                    separator: "\n"))
        }
        out.append("### Alert policies")
        out.append(
            table(
                ["Name", "Version", "Hash", "Loaded", "Decisions in the period"],
                section.policies.map {
                    [$0.name ?? "(no row)", $0.version ?? "", "`\($0.hash)`", $0.loadedAt ?? "", String($0.decisions)]
                }))
        return out
    }

    static func oversight(_ section: HumanOversight) -> [String] {
        var out = ["## Art. 14 human oversight"]
        out.append("![Alerts and human oversight per day](\(EvidencePlots.perDayFile))")
        out.append("### Acknowledgements, overrides and snoozes")
        out.append(
            table(
                ["At", "Action", "Actor", "Reason code", "Reason", "Patient", "Condition", "Model", "Alert"],
                section.actions.prefix(tableLimit).map { a in
                    [
                        a.at, a.action, a.actor ?? "", a.reasonCode ?? "",
                        a.reasonText ?? a.snoozedUntil.map { "until \($0)" } ?? "", a.patient, a.condition, a.modelId,
                        a.alertId,
                    ]
                }))
        out += cut(section.actions.count)
        out.append("### Stop switch and model status changes")
        out.append(table(["Seq", "At", "Actor", "Action", "Subject", "Reason"], section.stopSwitchUses.map(row)))
        out.append("Gates at export:")
        out.append(
            table(
                ["Model", "Status", "Reason", "Changed by", "Changed at"],
                section.gatesAtExport.map { [$0.modelId, $0.status, $0.reason, $0.changedBy, $0.changedAt] }))
        out.append("### Identity reveals")
        out.append(table(["Seq", "At", "Actor", "Action", "Subject", "Reason"], section.identityReveals.map(row)))
        return out
    }

    static func monitoring(_ section: PostMarketMonitoring, plot: Bool) -> [String] {
        var out = ["## Art. 72 post-market monitoring"]
        if plot { out.append("![Monitoring rates per window](\(EvidencePlots.monitoringFile))") }
        out.append("### Monitoring windows")
        out.append(
            table(
                [
                    "Model", "Window start", "Window end", "Cohort", "Mode", "Alerts", "Ack rate", "Override rate",
                    "PSI", "PPV",
                ],
                section.windows.prefix(tableLimit).map { w in
                    let f = { (key: String) in w.figures[key]?.number.map(IncidentRules.number) ?? "" }
                    return [
                        "\(w.modelId)@\(w.modelVersion)", w.windowStart, w.windowEnd, w.cohort, w.mode, f("alerts"),
                        f("acknowledgeRate"), f("overrideRate"), f("psi"), f("ppv"),
                    ]
                }))
        out += cut(section.windows.count)
        out.append("### Governance alerts")
        out.append(
            table(
                ["Raised", "Severity", "Model", "Window start", "Cohort", "Metric", "Value", "Threshold", "Id"],
                section.governanceAlerts.map { g in
                    [
                        g.raisedAt, g.severity, "\(g.modelId)@\(g.modelVersion)", g.windowStart, g.cohort, g.metric,
                        IncidentRules.number(g.value), IncidentRules.number(g.threshold), g.id,
                    ]
                }))
        return out
    }

    static func row(_ use: HumanOversight.AuditUse) -> [String] {
        [String(use.seq), use.at, use.actor, use.action, use.subject, use.reason ?? ""]
    }

    static func pairs(_ values: [String: String]) -> String {
        values.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: "<br>")
    }

    static func cut(_ count: Int) -> [String] {
        count > tableLimit ? ["First \(tableLimit) of \(count) rows; evidence.json has them all."] : []
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "None." }
        let lines = [header, header.map { _ in "---" }] + rows.map { $0.map(cell) }
        return lines.map { "| " + $0.joined(separator: " | ") + " |" }.joined(separator: "\n")
    }

    /// Text safe in a table cell: no pipes or line breaks; `<br>` from `pairs` is kept.
    static func cell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\r", with: " ")
            .replacingOccurrences(of: "\n", with: " ")
    }
}
