import CRdKafka
import Synchronization

/// Collects the delivery reports of one batch of produced records and calls back once, when the last one
/// arrived. Each produced record holds one retain on its tracker until its report comes.
final class DeliveryTracker: Sendable {
    typealias Completion = @Sendable (Result<DeliveryReport?, KafkaError>) -> Void

    private struct State {
        var remaining: Int
        var error: KafkaError?
        var last: DeliveryReport?
    }

    private let state: Mutex<State>
    private let topic: String
    private let completion: Completion

    init(count: Int, topic: String, completion: @escaping Completion) {
        self.state = Mutex(State(remaining: count))
        self.topic = topic
        self.completion = completion
        if count == 0 { completion(.success(nil)) }
    }

    /// Called from librdkafka's delivery callback.
    func delivered(error: rd_kafka_resp_err_t, partition: Int32, offset: Int64) {
        let failure =
            error == RD_KAFKA_RESP_ERR_NO_ERROR ? nil : KafkaError(.delivery, rd: error, context: "delivery failed")
        let report = DeliveryReport(topic: topic, partition: partition, offset: offset)
        finish(count: 1, error: failure, report: report)
    }

    /// Records that `count` records were never handed to librdkafka.
    func notEnqueued(count: Int, error: KafkaError) {
        finish(count: count, error: error, report: nil)
    }

    private func finish(count: Int, error: KafkaError?, report: DeliveryReport?) {
        let done: Result<DeliveryReport?, KafkaError>? = state.withLock { state in
            state.remaining -= count
            if state.error == nil, let error { state.error = error }
            if let report { state.last = report }
            guard state.remaining == 0 else { return nil }
            if let error = state.error { return .failure(error) }
            return .success(state.last)
        }
        if let done { completion(done) }
    }
}
