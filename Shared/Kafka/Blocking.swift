import CRdKafka
import Foundation
import Synchronization

/// A thread that calls `body` in a loop until stopped: the home of a blocking librdkafka poll.
///
/// `@unchecked Sendable`: `thread` is started once and otherwise only queried; the loop flag is atomic.
final class PollThread: @unchecked Sendable {
    private let running: Flag
    private let finished = DispatchSemaphore(value: 0)

    private let thread: Thread

    init(name: String, body: @escaping @Sendable () -> Void) {
        let running = Flag()
        let finished = self.finished
        self.running = running
        // The thread holds only the flag, the semaphore and `body`, never this object.
        thread = Thread {
            while running.isSet { body() }
            finished.signal()
        }
        thread.name = name
    }

    /// Starts the loop; call once.
    func start() {
        thread.start()
    }

    /// Stops the loop and waits for the current iteration to end. Idempotent.
    func stop() {
        if running.clear() && thread.isExecuting { finished.wait() }
    }
}

/// Runs a blocking call on its own thread so the cooperative pool never blocks. For rare calls (flush,
/// commit, admin requests), not per-record work.
func runBlocking<T: Sendable>(_ body: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: body()) }.start()
    }
}

/// A one-shot result that an async caller waits for and a librdkafka callback fills in.
final class DeliveryWaiter: Sendable {
    private let state = Mutex<(Result<DeliveryReport?, KafkaError>?, CheckedContinuation<DeliveryReport?, Error>?)>(
        (nil, nil))

    func complete(_ result: Result<DeliveryReport?, KafkaError>) {
        let waiting = state.withLock { state -> CheckedContinuation<DeliveryReport?, Error>? in
            state.0 = result
            defer { state.1 = nil }
            return state.1
        }
        waiting?.resume(with: result.mapError { $0 as Error })
    }

    func value() async throws -> DeliveryReport? {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<DeliveryReport?, KafkaError>? in
                if state.0 == nil { state.1 = continuation }
                return state.0
            }
            if let ready { continuation.resume(with: ready.mapError { $0 as Error }) }
        }
    }
}

/// Caches `rd_kafka_topic_t` handles (a lookup per record by name would take a lock in librdkafka).
/// `@unchecked Sendable`: the dictionary is only touched under the mutex; the handles are thread-safe.
final class TopicHandles: @unchecked Sendable {
    private let client: RdKafkaClient
    private let handles = Mutex<[String: OpaquePointer]>([:])

    init(client: RdKafkaClient) {
        self.client = client
    }

    func handle(for topic: String) -> OpaquePointer {
        handles.withLock { handles in
            if let handle = handles[topic] { return handle }
            let handle = rd_kafka_topic_new(client.handle, topic, nil)!
            handles[topic] = handle
            return handle
        }
    }

    deinit {
        // Topic handles must go before the client handle; `client` outlives this deinit.
        handles.withLock { $0.values.forEach { rd_kafka_topic_destroy($0) } }
    }
}

/// A set-once-cleared flag shared with a thread.
final class Flag: Sendable {
    private let value = Atomic<Bool>(true)
    var isSet: Bool { value.load(ordering: .acquiring) }
    /// Clears the flag; true if it was set.
    func clear() -> Bool { value.exchange(false, ordering: .acquiringAndReleasing) }
}

/// Text of a NUL-terminated C buffer (librdkafka's error-string out-parameters).
func cText(_ buffer: [CChar]) -> String {
    buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}
