import Foundation
import Metrics
import Notification
import Prometheus
import Testing
import VigilModelCore

/// The metrics the service's own runtime would export, bootstrapped once for this test process with the
/// service's histogram buckets.
enum TestMetrics {
    static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = NotificationService.durationBuckets
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    static var text: String { String(decoding: registry.emitToBuffer(), as: UTF8.self) }
}

/// API requests are counted by route pattern and status (never by path, so no ids or pseudonyms in labels), and
/// time to acknowledge has buckets from 30 s to 4 h.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct NotifyMetricsTests {
    @Test func requestsByRouteAndStatusAndTimeToAcknowledge() async throws {
        let start = Self.buckets(TestMetrics.text, "vigil_notify_time_to_acknowledge_seconds", severity: "high")
        let before = (start[120] ?? 0) - (start[60] ?? 0)
        try await NotifyAPIHarness.with { api in
            let id = try await api.raise(unit: "ICU1", patient: "metrics-1", at: Date().addingTimeInterval(-90))
            #expect(try await api.call("GET", "/api/alerts/\(id.rawValue)").status == 401)
            #expect(try await api.call("GET", "/api/alerts/\(id.rawValue)", token: "t-audit").status == 200)
            let ack = try await api.call("POST", "/api/alerts/\(id.rawValue)/acknowledge", token: "t-icu", json: [:])
            #expect(ack.status == 200)
            let text = TestMetrics.text
            let requests = text.split(separator: "\n").filter { $0.hasPrefix("vigil_notify_http_requests_total{") }
            #expect(
                requests.contains { $0.contains(#"route="/api/alerts/{id}""#) && $0.contains(#"status="401""#) },
                "\(requests)")
            #expect(requests.contains { $0.contains(#"route="/api/alerts/{id}""#) && $0.contains(#"status="200""#) })
            #expect(requests.contains { $0.contains(#"route="/api/alerts/{id}/acknowledge""#) })
            #expect(!text.contains(id.rawValue), "no alert id in any label")
            let buckets = Self.buckets(text, "vigil_notify_time_to_acknowledge_seconds", severity: "high")
            #expect(buckets[30] != nil && buckets[14400] != nil, "\(buckets.keys.sorted())")
            // The raise was 90 s ago: counted at 120 s, not at 60 s. Other tests' quick acknowledgements land in
            // both, so the difference grows by this one.
            let after = (buckets[120] ?? 0) - (buckets[60] ?? 0)
            #expect(after >= before + 1, "before \(before), after \(after)")
        }
    }

    /// `le` → cumulative count of a histogram's buckets for one severity.
    static func buckets(_ text: String, _ name: String, severity: String) -> [Double: Int] {
        var result: [Double: Int] = [:]
        for line in text.split(separator: "\n") where line.hasPrefix("\(name)_bucket{") {
            guard line.contains("severity=\"\(severity)\""), let le = line.range(of: "le=\""),
                let count = line.split(separator: " ").last.flatMap({ Int($0) })
            else { continue }
            let value = line[le.upperBound...].prefix { $0 != "\"" }
            if let bound = Double(value) { result[bound] = count }
        }
        return result
    }
}
