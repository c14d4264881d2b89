import Foundation
import Logging
import Metrics
import Synchronization

extension WebhookDispatcher {
    /// The most attempts one transaction records.
    static let recordBatch = 500

    /// Records attempts as they finish: whatever finished while the last transaction ran goes into the next.
    /// Ends once the dispatcher stops and the last sender's attempts are written.
    func recordAll(_ records: RecordQueue, _ lanes: SharedLanes) async {
        while true {
            let batch = records.take(limit: Self.recordBatch)
            if !batch.isEmpty {
                await record(batch, lanes)
                claims.wake()  // lanes may go on, or hand back what waits
                continue
            }
            // Senders add before they end, so with none running an empty queue stays empty.
            if lanes.withLock({ $0.stopping && $0.running == 0 }) && records.isEmpty { return }
            await records.wakeup.wait()
        }
    }

    private func record(_ batch: [SentAttempt], _ lanes: SharedLanes) async {
        var result = DeliveryQueue.Batch()
        do {
            result = try await queue.record(batch, retry: configuration.retry, breakerPolicy: configuration.breaker)
            for attempt in batch { report(attempt, result.recorded[attempt.deliveryID]) }
        } catch {
            // Their leases run out and they are sent again.
            logger.warning(
                "webhook attempts not recorded", metadata: ["webhook.attempts": "\(batch.count)", "error": "\(error)"])
        }
        lanes.withLock { $0.recorded(batch, result) }
    }

    /// Counts and logs one attempt: ids, statuses and classes only, never the URL, body or secret.
    private func report(_ attempt: SentAttempt, _ recorded: DeliveryQueue.Recorded?) {
        var metadata: Logger.Metadata {
            var metadata: Logger.Metadata = [
                "delivery.id": "\(attempt.deliveryID)", "subscription.id": "\(attempt.subscriptionID)",
            ]
            metadata["http.status"] = attempt.outcome.httpStatus.map { "\($0)" }
            metadata["error.class"] = attempt.outcome.errorClass.map { "\($0.rawValue)" }
            metadata["webhook.attempt"] = recorded.map { "\($0.attempt)" }
            return metadata
        }
        guard let recorded else {
            logger.warning("webhook lease lost; attempt not recorded", metadata: metadata)
            return
        }
        Counter(
            label: "vigil_notify_webhook_deliveries_total", dimensions: [("result", recorded.disposition.metricResult)]
        )
        .increment()
        switch recorded.disposition {
        case .delivered: logger.debug("webhook delivered", metadata: metadata)
        case .retry(let after):
            logger.debug(
                "webhook attempt failed; will retry", metadata: metadata.merging(["retry.delay": "\(after)"]) { $1 })
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
