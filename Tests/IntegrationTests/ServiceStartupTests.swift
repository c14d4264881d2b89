import Foundation
import Testing
import VigilRuntime

/// Runs a real service executable: it must start before its broker exists, say so on /ready, catch up when
/// the broker appears, and stop cleanly on SIGTERM.
@Suite(.enabled(if: ServiceProcess.available, "needs .vigil/env (make test) and built executables"), .serialized)
struct ServiceStartupTests {
    @Test func serviceWaitsForBrokerThenBecomesReadyAndStopsOnSigterm() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            try await run(databaseURL: ServiceProcess.url(role: "notify", database: database.name))
        }
    }

    private func run(databaseURL: String) async throws {
        let kafkaPort = try ServiceProcess.freePort()
        let httpPort = try ServiceProcess.freePort()
        let apiPort = try ServiceProcess.freePort()
        // The service logs in as its own role, on a freshly migrated database; its API needs a principal.
        let auditor = #"[{"id": "auditor", "tokenSHA256": "\#(NotifyAPIHarness.sha("t-audit"))", "roles": ["auditor"]}]"#
        let service = try ServiceProcess.start(
            "vigil-notify",
            environment: [
                "VIGIL_KAFKA_BROKERS": "127.0.0.1:\(kafkaPort)", "VIGIL_NOTIFY_HTTP_PORT": "\(httpPort)",
                "VIGIL_NOTIFY_PG_URL": databaseURL, "VIGIL_LOG_LEVEL": "error",
                "VIGIL_NOTIFY_PRINCIPALS": auditor, "VIGIL_NOTIFY_API_PORT": "\(apiPort)",
            ])
        defer { service.terminate() }

        let waiting = try await ServiceProcess.poll(port: httpPort, path: "/ready", until: { $0 != nil })
        #expect(waiting?.status == 503)
        #expect(waiting?.body.contains("\"kafka\":\"waiting\"") == true)
        let health = try await ServiceProcess.poll(port: httpPort, path: "/health", until: { $0 != nil })
        #expect(health?.status == 200)

        let broker = try ServiceProcess.startBroker(port: kafkaPort)
        defer { ServiceProcess.killBroker(broker) }
        let ready = try await ServiceProcess.poll(port: httpPort, path: "/ready", timeout: .seconds(40)) {
            $0?.status == 200
        }
        #expect(ready?.status == 200, "service became ready once the broker was up")
        // The API answers as the service's own role (notify.sessions, audit.append).
        let alerts = try await HTTP1Client.request(
            "GET", port: apiPort, path: "/api/alerts", headers: [("Authorization", "Bearer t-audit")])
        #expect(alerts.status == 200, "\(alerts.text)")
        let login = try await HTTP1Client.request(
            "POST", port: apiPort, path: "/oversight/login",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("token=t-audit".utf8))
        #expect(login.status == 303 && login.header("Set-Cookie")?.contains("Secure") == true)

        kill(service.processIdentifier, SIGTERM)
        let exited = await ServiceProcess.waitForExit(service, timeout: .seconds(15))
        #expect(exited, "service stopped within 15 s of SIGTERM")
        #expect(service.terminationStatus == 0)
    }
}
