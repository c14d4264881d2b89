import Foundation
import Notification
import Testing

/// The oversight page in headless Chromium: sign in through the login form, see the worklist, acknowledge one
/// alert and override another (first without a reason: 422 with the error summary) by submitting the page's own
/// forms; the result is checked in PostgreSQL and the outbox. Screenshots go to `.build/test-artifacts/oversight/`.
@Suite(
    .enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"),
    .enabled(
        if: ChromiumCDP.isAvailable, "needs /usr/bin/chromium (Debian package chromium; infra/dev/up.sh installs it)"))
struct OversightBrowserTests {
    static let artifacts = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/test-artifacts/oversight")

    @Test func clinicianAcknowledgesAndOverridesThroughThePage() async throws {
        try FileManager.default.createDirectory(at: Self.artifacts, withIntermediateDirectories: true)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vigil-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        try await NotifyAPIHarness.with { api in
            let a = try await api.raise(unit: "ICU1", score: 5, patient: "b1")
            let b = try await api.raise(unit: "ICU2", score: 7, patient: "b2")
            let base = "http://127.0.0.1:\(api.port)"
            let browser = try ChromiumCDP(profile: profile)
            do {
                try await browser.openPage()
                #expect(try await browser.navigate("\(base)/oversight") == 200, "redirected to the login form")
                #expect(try await browser.evaluate("document.querySelector('h1').textContent") as? String == "Sign in")
                let signIn = try await browser.loading {
                    _ = try await browser.evaluate(
                        """
                        document.getElementById('token').value = 't-icu';
                        document.querySelector('main form button').click()
                        """
                    )
                }
                #expect(signIn == 200)
                let rows =
                    try await browser.evaluate("document.querySelectorAll('table.worklist tbody tr').length") as? Int
                #expect(rows == 2)
                let first =
                    try await browser.evaluate("document.querySelector('table.worklist tbody td').textContent")
                    as? String
                #expect(first?.contains("critical") == true, "most severe first, severity as text")
                try await browser.screenshot(to: Self.artifacts.appendingPathComponent("worklist.png"))

                // Acknowledge alert A with the page's own form.
                #expect(try await browser.navigate("\(base)/oversight/alerts/\(a.rawValue)") == 200)
                try await browser.screenshot(to: Self.artifacts.appendingPathComponent("alert.png"))
                let acknowledged = try await browser.loading {
                    _ = try await browser.evaluate("document.getElementById('acknowledge-button').click()")
                }
                #expect(acknowledged == 200)
                #expect(
                    try await browser.evaluate("document.querySelector('.notice').textContent") as? String
                        == "Alert acknowledged.")

                // Override alert B: first without a reason (422 and the error summary), then with one.
                #expect(try await browser.navigate("\(base)/oversight/alerts/\(b.rawValue)") == 200)
                let submitOverride = "document.querySelector('#override-form button').click()"
                #expect(try await browser.loading { _ = try await browser.evaluate(submitOverride) } == 422)
                let summary =
                    try await browser.evaluate("document.querySelector('[role=alert]').textContent") as? String
                #expect(summary?.contains("Choose why this alert needs no action") == true)
                try await browser.screenshot(to: Self.artifacts.appendingPathComponent("override-422.png"))
                let overridden = try await browser.loading {
                    _ = try await browser.evaluate(
                        """
                        document.getElementById('reason-data-error').checked = true;
                        document.getElementById('override-text').value = 'SpO2 probe was off the finger';
                        \(submitOverride)
                        """)
                }
                #expect(overridden == 200)
                #expect(
                    try await browser.evaluate("document.querySelector('.notice').textContent") as? String
                        == "Alert overridden.")
                try await browser.screenshot(to: Self.artifacts.appendingPathComponent("after-override.png"))
            } catch {
                await browser.close()
                throw error
            }
            await browser.close()

            let episodes = try await api.database.pool.query(
                "SELECT id, status, coalesce(state->>'overrideCode', '') FROM notify.episodes ORDER BY id")
            let states = Dictionary(
                uniqueKeysWithValues: try episodes.map { try $0.decode((String, String, String).self) }.map {
                    ($0.0, ($0.1, $0.2))
                })
            #expect(states[a.rawValue]?.0 == "acknowledged")
            #expect(states[b.rawValue]?.0 == "overridden" && states[b.rawValue]?.1 == "data-error")
            let events = try await api.database.pool.query(
                """
                SELECT e.action, e.actor, e.reason_code
                FROM notify.alert_events e JOIN notify.outbox o ON o.event_id = e.id
                WHERE e.action IN ('acknowledged', 'overridden') ORDER BY o.seq
                """)
            let rows = try events.map { try $0.decode((String, String?, String?).self) }
            #expect(rows.map(\.0) == ["acknowledged", "overridden"], "both events wait in the outbox for the relay")
            #expect(rows.allSatisfy { $0.1 == "user:nurse-icu" } && rows.last?.2 == "data-error")
            #expect(try await api.audit("alert.override").first?.reason == "SpO2 probe was off the finger")
            #expect(try await api.audit("session.login").count == 1)
        }
    }
}
