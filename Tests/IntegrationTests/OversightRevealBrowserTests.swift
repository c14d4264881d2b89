import Foundation
import Notification
import Testing

/// The identity reveal in headless Chromium: the clinician presses "Reveal identity" with a reason, the page's
/// `reveal.js` asks deid (CORS allow-list = the page's origin) with the grant, and the name appears in the
/// `<dl>`, while no response of notify, nor its logs, contains it. Screenshot in `.build/test-artifacts/oversight/`.
@Suite(
    .enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"),
    .enabled(
        if: ChromiumCDP.isAvailable, "needs /usr/bin/chromium (Debian package chromium; infra/dev/up.sh installs it)"))
struct OversightRevealBrowserTests {
    @Test func revealedNameReachesTheBrowserButNotNotify() async throws {
        try FileManager.default.createDirectory(at: OversightBrowserTests.artifacts, withIntermediateDirectories: true)
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vigil-chromium-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: profile) }
        try await TestDatabase.withFresh(migrated: true) { database in
            let pseudonym = try await ReidTestServer.seed(database)
            let logs = LogLines()
            // deid must allow the page's origin before notify runs, so notify's port is chosen first.
            let notifyPort = try await ReidTestServer.freePort()
            let base = "http://127.0.0.1:\(notifyPort)"
            try await ReidTestServer.run(database, origins: [base]) { reidPort in
                let reid = try ReidGrantClient(baseURL: "http://127.0.0.1:\(reidPort)", token: ReidTestServer.grantToken)
                try await NotifyAPIHarness.run(database, reid: reid, port: notifyPort, logger: logs.logger) { api in
                    let id = try await api.raise(unit: "ICU1", pseudonym: pseudonym)
                    let browser = try ChromiumCDP(profile: profile)
                    do {
                        try await browser.openPage()
                        #expect(try await browser.navigate("\(base)/oversight/login") == 200)
                        _ = try await browser.loading {
                            _ = try await browser.evaluate(
                                "document.getElementById('token').value = 't-icu'; document.querySelector('main form button').click()")
                        }
                        #expect(try await browser.navigate("\(base)/oversight/alerts/\(id.rawValue)") == 200)
                        let status = try await browser.loading {
                            _ = try await browser.evaluate(
                                """
                                document.getElementById('reveal-reason').value = 'bedside identity check';
                                document.getElementById('reveal-button').click()
                                """)
                        }
                        #expect(status == 200)
                        // Every notify response of that step, read back from the browser's network log.
                        let notifyResponses = browser.events.compactMap { event -> String? in
                            guard event["method"] as? String == "Network.responseReceived",
                                let params = event["params"] as? [String: Any],
                                let url = (params["response"] as? [String: Any])?["url"] as? String, url.hasPrefix(base)
                            else { return nil }
                            return params["requestId"] as? String
                        }
                        #expect(!notifyResponses.isEmpty)
                        var notifyBodies = ""
                        for requestID in notifyResponses {
                            let body = try? await browser.send("Network.getResponseBody", ["requestId": requestID])
                            notifyBodies += body?["body"] as? String ?? ""
                        }
                        var shown = ""
                        let deadline = ContinuousClock.now + .seconds(10)
                        while !shown.contains(ReidTestServer.canaryFamily), ContinuousClock.now < deadline {
                            try await Task.sleep(for: .milliseconds(100))
                            shown = try await browser.evaluate("document.getElementById('identity').textContent") as? String ?? ""
                        }
                        let statusText = try await browser.evaluate("document.getElementById('reveal-status').textContent")
                        #expect(shown.contains("Ada \(ReidTestServer.canaryFamily)"), "status: \(statusText ?? "-")")
                        #expect(shown.contains(ReidTestServer.canaryMRN))
                        #expect(try await browser.evaluate("location.pathname") as? String == "/oversight/alerts/\(id.rawValue)")
                        #expect(try await browser.evaluate("document.getElementById('reveal').hasAttribute('data-grant')") as? Bool == false)
                        try await browser.screenshot(to: OversightBrowserTests.artifacts.appendingPathComponent("reveal.png"))
                        #expect(notifyBodies.contains("data-reid-url"))
                        let notifySaw = notifyBodies + logs.text
                        #expect(!notifySaw.contains(ReidTestServer.canaryFamily) && !notifySaw.contains(ReidTestServer.canaryMRN))
                    } catch {
                        await browser.close()
                        throw error
                    }
                    await browser.close()
                    #expect(try await api.audit("deid.reveal").first?.actor == "grant:nurse-icu")
                }
            }
        }
    }
}
