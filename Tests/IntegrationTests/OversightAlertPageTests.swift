import Foundation
import Notification
import Testing
import VigilModelCore
import VigilRuntime

/// The alert page explains the alert in clinical time: de-identified event times are shifted by days, so the
/// trend and the freshness are measured against the patient's newest event, and missing inputs are named.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct OversightAlertPageTests {
    @Test func trendFreshnessAndMissingInputsUseClinicalTime() async throws {
        try await NotifyAPIHarness.with { api in
            let pseudonym = try Pseudonym.derive(
                assigningAuthority: "HOSP", patientID: "shifted", key: Array(repeating: 3, count: 32), keyID: "k1")
            // Shifted 400 days into the past, as deid's date shift may do; scored now.
            let newest = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 400 * 86400).rounded(.down))
            let facts = PatientFacts(pool: api.database.pool)
            var alertID: EventID?
            for (hoursBefore, score) in [(30.0, 1.0), (5, 3), (3, 4), (2, 6)] {
                let time = newest.addingTimeInterval(-hoursBefore * 3600)
                let record = RiskRecord(
                    id: EventID.derive(namespace: "risk-test", parts: [pseudonym.rawValue, String(hoursBefore)]),
                    patient: pseudonym, model: NotifyAPIHarness.news2, scoreName: "news2", value: score,
                    parts: ["news2.rr": 3, "news2.hr": score - 3], missingInputs: ["news2.consciousness", "news2.temp"],
                    inputEventIDs: [EventID.derive(namespace: "test", parts: [String(hoursBefore)])],
                    computedAt: Date(), eventTime: time, band: "high", upperBound: score + 6, modelStatus: .active,
                    observed: ["news2.rr": 27 + hoursBefore])
                var context = try await facts.context(for: record)
                context.unit = "ICU1"
                let emitted = try await api.store.decide(record, context: context)
                alertID = emitted.first { $0.event.action == .raised }?.event.alertID ?? alertID
            }
            // A later event of the patient (no score) moves the clinical "now" on by an hour.
            _ = try await api.database.pool.execute(
                "UPDATE notify.patients SET latest_event_time = \(newest.addingTimeInterval(3600)) WHERE patient = \(pseudonym.rawValue)"
            )
            let id = try #require(alertID, "the score of 6 raised an alert")
            let cookie = try await api.signIn("t-icu")
            let page = try await HTTP1Client.request(
                "GET", port: api.port, path: "/oversight/alerts/\(id.rawValue)", headers: [("Cookie", cookie)])
            #expect(page.status == 200)
            // Three of the four scores are within 24 h of clinical time; the one 30 h before is not.
            #expect(page.text.contains("<caption>Scores of the last 24 hours"))
            let rows = page.text.components(separatedBy: "<tr><td>").count - 1
            #expect(rows == 3, "trend rows: \(rows)")
            #expect(page.text.contains("2 input(s) missing:</strong> news2.consciousness, news2.temp"))
            #expect(page.text.contains("as high as 12"), "upper bound of the latest record (6 + 6)")
            // The newest input is 2 h before the last scored event, which is 1 h before the newest event.
            #expect(page.text.contains("3 h 0 min before the patient's newest event"), "\(Self.freshness(page.text))")
            #expect(!page.text.contains("400 d"), "never measured against the wall clock")
            // The latest record (2 h before) saw a respiratory rate of 29 for its 3 points; the heart rate has no value.
            #expect(page.text.contains("<th scope=\"row\">news2.rr</th><td>3</td><td>29</td>"))
            #expect(page.text.contains("<th scope=\"row\">news2.hr</th><td>3</td><td>–</td>"))
        }
    }

    static func freshness(_ html: String) -> String {
        guard let range = html.range(of: "Newest input at") else { return "no freshness line" }
        return String(html[range.lowerBound...].prefix(200))
    }
}
