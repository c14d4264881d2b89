import Foundation
import NIOHTTP1
import Testing

@testable import Notification

/// The response table of §5: 2xx delivered, 410 gone, 408/429/5xx and transport failures retry, other statuses
/// are dead at once.
@Suite struct AttemptOutcomeTests {
    @Test func statusesMapToTheDesignTable() {
        let table: [(Int, AttemptOutcome.Verdict)] = [
            (200, .delivered), (204, .delivered), (299, .delivered), (410, .gone), (408, .retry), (429, .retry),
            (500, .retry), (503, .retry), (400, .rejected), (401, .rejected), (404, .rejected), (413, .rejected),
            (301, .rejected), (302, .rejected),
        ]
        for (status, verdict) in table {
            #expect(AttemptOutcome.response(status).verdict == verdict, "status \(status)")
        }
        #expect(AttemptOutcome.response(200).errorClass == nil)
        #expect(AttemptOutcome.response(500).errorClass == .httpStatus)
        #expect(AttemptOutcome.failed(.timeout).verdict == .retry)
        #expect(AttemptOutcome.failed(.connection).verdict == .retry)
        #expect(AttemptOutcome.failed(.refusedURL).verdict == .rejected)
    }

    @Test func deadAfterTheLastAttemptAndRetryOtherwise() {
        let schedule = RetrySchedule(base: .milliseconds(50), cap: .milliseconds(400), maxAttempts: 4)
        #expect(DeliveryQueue.disposition(.response(500), attempt: 4, retry: schedule) == .dead)
        #expect(DeliveryQueue.disposition(.response(400), attempt: 1, retry: schedule) == .dead)
        #expect(DeliveryQueue.disposition(.response(410), attempt: 1, retry: schedule) == .gone)
        guard case .retry(let after) = DeliveryQueue.disposition(.failed(.timeout), attempt: 3, retry: schedule) else {
            Issue.record("a timeout before the last attempt retries")
            return
        }
        #expect(after >= .milliseconds(100) && after <= .milliseconds(200))
    }

    @Test func retryAfterReadsSecondsAndDates() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(AttemptOutcome.retryAfter(HTTPHeaders([("Retry-After", "7")]), now: now) == .seconds(7))
        let date = HTTPHeaders([("retry-after", "Tue, 14 Nov 2023 22:13:40 GMT")])  // now + 20 s
        #expect(AttemptOutcome.retryAfter(date, now: now) == .seconds(20))
        #expect(AttemptOutcome.retryAfter(HTTPHeaders([("retry-after", "soon")]), now: now) == nil)
        #expect(AttemptOutcome.retryAfter(HTTPHeaders(), now: now) == nil)
    }

    @Test func onlyHTTPSOrAllowedLoopback() {
        #expect(throws: Never.self) {
            try WebhookURLPolicy.check("https://hooks.example/a", allowInsecureLoopback: false)
        }
        #expect(throws: WebhookError.self) {
            try WebhookURLPolicy.check("http://hooks.example/a", allowInsecureLoopback: true)
        }
        #expect(throws: WebhookError.self) {
            try WebhookURLPolicy.check("http://127.0.0.1:80/a", allowInsecureLoopback: false)
        }
        #expect(throws: Never.self) { try WebhookURLPolicy.check("http://127.0.0.1:8/a", allowInsecureLoopback: true) }
        #expect(throws: WebhookError.self) {
            try WebhookURLPolicy.check("hooks.example/a", allowInsecureLoopback: true)
        }
    }

    @Test func filtersMatchEveryListOrEmpty() {
        let filter = SubscriptionFilter(severities: [.high, .critical], rules: [], actions: [.raised])
        #expect(filter.matches(severity: .high, rule: "any", action: .raised))
        #expect(!filter.matches(severity: .medium, rule: "any", action: .raised))
        #expect(!filter.matches(severity: .high, rule: "any", action: .resolved))
        #expect(SubscriptionFilter().matches(severity: .info, rule: "x", action: .retracted))
    }
}
