import Foundation
import VigilModelCore

/// The monitoring page's context: per model version, a trend line per figure over the daily windows, the
/// windows as a table, the newest window by cohort; then the governance alerts.
enum MonitoringView {
    static func context(_ windows: [MonitoringQueries.Window], _ alerts: [GovernanceAlert], thresholds: MonitoringThresholds)
        -> [String: Any]
    {
        var models: [[String: Any]] = []
        let grouped = Dictionary(grouping: windows) { "\($0.model)@\($0.version)" }
        for key in grouped.keys.sorted() {
            let all = grouped[key]!.filter { $0.cohort == Cohort.all }.sorted { $0.start < $1.start }
            guard let newest = all.last else { continue }
            let cohorts = grouped[key]!.filter { $0.cohort != Cohort.all && $0.start == newest.start }
            var model: [String: Any] = ["name": key, "mode": newest.mode]
            model["plots"] = [
                plot("Score drift (PSI)", all, threshold: thresholds.psiCritical) { $0.psi },
                plot("Alerts per patient-day", all, threshold: nil) { $0.alertsPerPatientDay },
                plot("Override rate", all, threshold: thresholds.overrideRateCritical) { $0.overrideRate },
                plot("PPV", all, threshold: thresholds.ppvWarning) { $0.ppv },
            ].compactMap { $0 }
            model["windows"] = all.reversed().map { row($0.start.formatted(.iso8601.year().month().day()), $0.figures) }
            model["cohorts"] = cohorts.map { row($0.cohort, $0.figures) }
            model["newest"] = ViewModels.time(newest.start)
            models.append(model)
        }
        return [
            "models": models,
            "alerts": alerts.map { alert in
                [
                    "model": "\(alert.modelID)@\(alert.modelVersion)", "window": ViewModels.time(alert.windowStart),
                    "cohort": alert.cohort, "metric": alert.metric, "value": number(alert.value),
                    "threshold": number(alert.threshold), "severity": alert.severity.rawValue,
                    "critical": alert.severity == .critical,
                ] as [String: Any]
            },
        ]
    }

    static func row(_ label: String, _ f: SafetyFigures) -> [String: Any] {
        [
            "label": label, "records": f.records, "patients": f.patients, "patientDays": f.patientDays,
            "alerts": f.alerts, "perDay": f.alertsPerPatientDay.map(number) ?? "–",
            "shareAlerted": percent(f.shareOfPatientsAlerted), "ackRate": percent(f.acknowledgeRate),
            "overrideRate": percent(f.overrideRate),
            "tta": f.medianSecondsToAcknowledge.map { ViewModels.age($0) } ?? "–",
            "psi": f.psi.map(number) ?? "–", "ppv": percent(f.ppv),
        ]
    }

    /// One figure over the windows as a sparkline; nil when no window has it.
    static func plot(
        _ title: String, _ windows: [MonitoringQueries.Window], threshold: Double?, _ value: (SafetyFigures) -> Double?
    ) -> [String: Any]? {
        let samples = windows.compactMap { w in value(w.figures).map { (w.start, $0) } }
        guard let first = samples.first?.0, let last = samples.last?.0,
            let line = Sparkline(samples, from: first, to: max(last, first.addingTimeInterval(86400)), threshold: threshold)
        else { return nil }
        var plot: [String: Any] = [
            "title": title, "points": line.points, "min": number(line.minimum), "max": number(line.maximum),
            "width": Sparkline.width, "height": Sparkline.height, "lastX": line.last.x, "lastY": line.last.y,
            "latest": number(samples.last!.1), "count": samples.count,
        ]
        plot["thresholdY"] = line.thresholdY
        return plot
    }

    static func number(_ value: Double) -> String { String(format: "%.3g", value) }
    static func percent(_ value: Double?) -> String { value.map { String(format: "%.0f %%", $0 * 100) } ?? "–" }
}
