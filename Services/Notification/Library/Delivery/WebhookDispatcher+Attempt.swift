import AsyncHTTPClient
import Foundation
import Logging
import Metrics
import NIOCore
import VigilModelCore

extension WebhookDispatcher {
    /// One attempt: sign and send. Nil when nothing was sent that counts: the secret does not open (unsigned is
    /// never sent; the lease expires and a fixed key lets a later claim send it), or our own task was cancelled.
    /// Logs ids and classes only: never the URL, body or secret.
    func attempt(_ delivery: ClaimedDelivery, http: HTTPClient) async -> SentAttempt? {
        let secrets: [WebhookSecret]
        do {
            secrets = try signingSecrets(delivery)
        } catch {
            logger.error(
                "webhook secret does not open",
                metadata: [
                    "delivery.id": "\(delivery.id)", "subscription.id": "\(delivery.subscriptionID)",
                    "error": "\(error)",
                ])
            return nil
        }
        let startedAt = Date()
        let start = ContinuousClock.now
        let outcome: AttemptOutcome
        do throws(WebhookError) {
            try WebhookURLPolicy.check(delivery.url, allowInsecureLoopback: configuration.allowInsecureLoopback)
            guard let sent = await send(delivery, secrets: secrets, http: http) else { return nil }
            outcome = sent
        } catch {
            outcome = .failed(.refusedURL)
        }
        let duration = ContinuousClock.now - start
        Metrics.Timer(label: "vigil_notify_webhook_seconds").recordNanoseconds(duration.nanoseconds)
        return SentAttempt(
            deliveryID: delivery.id, subscriptionID: delivery.subscriptionID, priorAttempts: delivery.attempts,
            outcome: outcome, startedAt: startedAt, duration: duration)
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
}
