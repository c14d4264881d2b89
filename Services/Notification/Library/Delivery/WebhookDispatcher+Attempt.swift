import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import VigilModelCore

extension WebhookDispatcher {
    /// One attempt: sign, send, record, count. Logs ids, statuses and classes only: never the URL, body or secret.
    func attempt(_ delivery: ClaimedDelivery, http: HTTPClient) async {
        var metadata: Logger.Metadata = [
            "delivery.id": "\(delivery.id)", "subscription.id": "\(delivery.subscriptionID)",
        ]
        let secrets: [WebhookSecret]
        do {
            secrets = try signingSecrets(delivery)
        } catch {
            // Unsigned is never sent; the lease expires and a fixed key lets a later claim send it.
            logger.error("webhook secret does not open", metadata: metadata.merging(["error": "\(error)"]) { $1 })
            return
        }
        let startedAt = Date()
        let start = ContinuousClock.now
        let outcome: AttemptOutcome
        do throws(WebhookError) {
            try WebhookURLPolicy.check(delivery.url, allowInsecureLoopback: configuration.allowInsecureLoopback)
            guard let sent = await send(delivery, secrets: secrets, http: http) else { return }
            outcome = sent
        } catch {
            outcome = .failed(.refusedURL)
        }
        let duration = ContinuousClock.now - start
        Metrics.Timer(label: "vigil_notify_webhook_seconds").recordNanoseconds(duration.nanoseconds)
        metadata["http.status"] = outcome.httpStatus.map { "\($0)" }
        metadata["error.class"] = outcome.errorClass.map { "\($0.rawValue)" }
        do {
            guard
                let recorded = try await queue.record(
                    delivery, outcome: outcome, startedAt: startedAt, duration: duration,
                    retry: configuration.retry, breakerPolicy: configuration.breaker)
            else {
                logger.warning("webhook lease lost; attempt not recorded", metadata: metadata)
                return
            }
            report(recorded, metadata: metadata)
        } catch {
            logger.warning("webhook attempt not recorded", metadata: metadata.merging(["error": "\(error)"]) { $1 })
        }
    }

    /// The current secret, then the previous one while a rotation is in its grace period.
    func signingSecrets(_ delivery: ClaimedDelivery) throws(WebhookError) -> [WebhookSecret] {
        var secrets = [try sealer.open(delivery.secretSealed, subscription: delivery.subscriptionID)]
        if let previous = delivery.previousSecretSealed, let until = delivery.previousValidUntil, until > Date() {
            secrets.append(try sealer.open(previous, subscription: delivery.subscriptionID))
        }
        return secrets
    }

    /// Sends once within `timeout`, signed at this moment. Nil when our own task was cancelled (shutdown),
    /// which says nothing about the receiver.
    func send(_ delivery: ClaimedDelivery, secrets: [WebhookSecret], http: HTTPClient) async -> AttemptOutcome? {
        let request = Self.request(delivery, secrets: secrets)
        let timeout = configuration.timeout
        do {
            return try await withThrowingTaskGroup(of: AttemptOutcome.self) { group in
                group.addTask {
                    // The body is not read: it is never stored, and dropping it ends the request.
                    let response = try await http.execute(request, deadline: .now() + TimeAmount(timeout))
                    let retryAfter = AttemptOutcome.retryAfter(response.headers)
                    return .response(Int(response.status.code), retryAfter: retryAfter)
                }
                // A backstop: the client's deadline covers the response head only.
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return .failed(.timeout)
                }
                defer { group.cancelAll() }
                return try await group.next()!
            }
        } catch {
            return Task.isCancelled ? nil : .failed(Self.errorClass(error))
        }
    }

    /// A structured-mode CloudEvent POST, signed now (each attempt gets a fresh timestamp).
    static func request(_ delivery: ClaimedDelivery, secrets: [WebhookSecret]) -> HTTPClientRequest {
        let body = Array(delivery.body.utf8)
        var request = HTTPClientRequest(url: delivery.url)
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/cloudevents+json")
        request.headers.add(name: "user-agent", value: "vigil-notify")
        let timestamp = Int64(Date().timeIntervalSince1970)
        for header in WebhookSigner.headers(id: delivery.eventID, timestamp: timestamp, body: body, secrets: secrets) {
            request.headers.add(name: header.name, value: header.value)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        return request
    }

    static func errorClass(_ error: any Error) -> AttemptOutcome.ErrorClass {
        let timeouts: [HTTPClientError] = [
            .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
            .getConnectionFromPoolTimeout,
        ]
        if let error = error as? HTTPClientError, timeouts.contains(error) { return .timeout }
        return .connection
    }

    private func report(_ recorded: DeliveryQueue.Recorded, metadata: Logger.Metadata) {
        var metadata = metadata
        metadata["webhook.attempt"] = "\(recorded.attempt)"
        Counter(
            label: "vigil_notify_webhook_deliveries_total", dimensions: [("result", recorded.disposition.metricResult)]
        )
        .increment()
        switch recorded.disposition {
        case .delivered: logger.debug("webhook delivered", metadata: metadata)
        case .retry(let after):
            metadata["retry.delay"] = "\(after)"
            logger.debug("webhook attempt failed; will retry", metadata: metadata)
        case .dead: logger.warning("webhook delivery dead", metadata: metadata)
        case .gone: logger.warning("webhook receiver answered 410; subscription disabled", metadata: metadata)
        }
        switch recorded.breaker {
        case .opened(let until):
            Counter(label: "vigil_notify_webhook_breaker_opened_total").increment()
            logger.warning(
                "webhook breaker opened", metadata: metadata.merging(["breaker.open_until": "\(until)"]) { $1 })
        case .closed: logger.info("webhook breaker closed", metadata: metadata)
        case nil: break
        }
    }
}
