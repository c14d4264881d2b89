import Foundation
import Notification

/// Which stored facts make a serious-incident candidate. Pure, so the rules are tested without a database.
enum IncidentRules {
    struct Outcome {
        var eventID: String
        var patient: String
        var condition: String
        var onset: Date
        var receivedAt: Date
    }

    /// An episode and when it opened, on the clinical clock where known.
    struct Opening {
        var alertID: String
        var patient: String
        var condition: String
        var modelID: String
        var opened: Date
    }

    struct Raised {
        var eventID: String
        var alertID: String
        var at: Date
        var patient: String
        var condition: String
        var modelID: String
        var version: String?
    }

    /// (a) A confirmed outcome whose patient had no alert of that condition opened in the counting window
    /// (`window.earliestHours` before onset to `window.latestHours` after). A later alert is named: it was late.
    static func missedAlerts(_ outcomes: [Outcome], _ openings: [Opening], window: OutcomeWindow) -> [IncidentCandidate]
    {
        outcomes.compactMap { outcome in
            let episodes = openings.filter { $0.patient == outcome.patient && $0.condition == outcome.condition }
            guard !episodes.contains(where: { window.counts($0.opened, onset: outcome.onset) }) else { return nil }
            var times = [
                "onset": EvidenceTime.text(outcome.onset), "receivedAt": EvidenceTime.text(outcome.receivedAt),
            ]
            var ids = ["outcomeEvent": outcome.eventID]
            var summary =
                "Confirmed \(outcome.condition) without an alert from \(hours(window.earliestHours)) h before "
                + "to \(hours(window.latestHours)) h after onset"
            if let late = episodes.filter({ $0.opened > outcome.onset }).min(by: { $0.opened < $1.opened }) {
                times["lateAlertOpened"] = EvidenceTime.text(late.opened)
                ids["lateAlert"] = late.alertID
                summary += "; first alert \(hours(late.opened.timeIntervalSince(outcome.onset) / 3600)) h after onset"
            }
            return IncidentCandidate(
                kind: .missedAlert, summary: summary, patient: outcome.patient,
                modelId: episodes.first?.modelID, condition: outcome.condition, times: times, ids: ids)
        }
    }

    /// (b) An alert raised while its model was stopped: the stop switch did not hold.
    static func alertsOnStoppedModels(_ raised: [Raised], _ history: StopHistory) -> [IncidentCandidate] {
        raised.compactMap { alert in
            guard let stop = history.stop(model: alert.modelID, version: alert.version, at: alert.at) else {
                return nil
            }
            var ids = ["alert": alert.alertID, "alertEvent": alert.eventID]
            ids["stopAuditSeq"] = stop.seq.map { String($0) }
            let model = alert.version.map { "\(alert.modelID)@\($0)" } ?? alert.modelID
            return IncidentCandidate(
                kind: .alertOnStoppedModel,
                summary:
                    "Alert raised by \(model) while it was stopped (by \(stop.actor): \(stop.reason ?? "no reason"))",
                patient: alert.patient, modelId: alert.modelID, condition: alert.condition,
                times: ["raisedAt": EvidenceTime.text(alert.at), "stoppedAt": EvidenceTime.text(stop.at)], ids: ids)
        }
    }

    /// (c) Governance alerts of severity critical: monitoring says the model may be unsafe.
    static func criticalGovernanceAlerts(_ alerts: [PostMarketMonitoring.GovernanceAlertRow]) -> [IncidentCandidate] {
        alerts.filter { $0.severity == "critical" }.map { alert in
            IncidentCandidate(
                kind: .criticalGovernanceAlert,
                summary:
                    "\(alert.metric) \(number(alert.value)) reached the critical threshold \(number(alert.threshold)) "
                    + "for \(alert.modelId)@\(alert.modelVersion), cohort \(alert.cohort)",
                patient: nil, modelId: alert.modelId, condition: nil,
                times: ["windowStart": alert.windowStart, "raisedAt": alert.raisedAt],
                ids: ["governanceAlert": alert.id])
        }
    }

    static func hours(_ value: Double) -> String { number(value) }

    /// Up to three decimals, without trailing zeros.
    static func number(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return String(value) }
        let rounded = (value * 1000).rounded() / 1000
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}
