import VigilModelCore

/// When a monitored figure becomes a governance alert. Defaults follow common practice: PSI 0.1 is a moderate
/// and 0.25 a major shift; an override rate of a third means clinicians disagree with the model often.
public struct MonitoringThresholds: Hashable, Sendable, Codable {
    public var psiWarning = 0.1
    public var psiCritical = 0.25
    public var overrideRateWarning = 0.3
    public var overrideRateCritical = 0.5
    /// Below this PPV (with outcomes known) the alerts are mostly noise.
    public var ppvWarning = 0.05
    /// A cohort alerted this many times more per patient-day than everyone.
    public var cohortAlertRatio = 2.0
    /// Rates need this many alerts, and cohort ratios this many patient-days, before they mean anything.
    public var minimumAlerts = 5
    public var minimumPatientDays = 5
    /// PSI over a few hundred scores is noise (the first minutes of a day would always "drift").
    public var minimumRecordsForDrift = 500

    public init() {}

    /// The alerts one window's figures raise: (metric, value, threshold, severity).
    public func crossings(_ figures: SafetyFigures, cohort: String, all: SafetyFigures) -> [(String, Double, Double, GovernanceAlertSeverity)] {
        var found: [(String, Double, Double, GovernanceAlertSeverity)] = []
        if cohort == Cohort.all {
            if figures.records >= minimumRecordsForDrift, let psi = figures.psi, psi >= psiWarning {
                found.append(("psi", psi, psi >= psiCritical ? psiCritical : psiWarning, psi >= psiCritical ? .critical : .warning))
            }
            if figures.alerts >= minimumAlerts, let rate = figures.overrideRate, rate >= overrideRateWarning {
                let critical = rate >= overrideRateCritical
                found.append(("override_rate", rate, critical ? overrideRateCritical : overrideRateWarning, critical ? .critical : .warning))
            }
            if figures.alerts >= minimumAlerts, let ppv = figures.ppv, ppv < ppvWarning {
                found.append(("ppv", ppv, ppvWarning, .warning))
            }
        } else if figures.patientDays >= minimumPatientDays, let mine = figures.alertsPerPatientDay,
            let everyone = all.alertsPerPatientDay, everyone > 0, mine / everyone >= cohortAlertRatio
        {
            found.append(("alert_rate_ratio", mine / everyone, cohortAlertRatio, .warning))
        }
        return found
    }
}

public typealias GovernanceAlertSeverity = GovernanceAlert.Severity
