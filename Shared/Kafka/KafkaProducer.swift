import CRdKafka
import Foundation
import Logging
import Synchronization

/// An idempotent Kafka producer. `send` returns once the broker acknowledged the records.
///
/// A dedicated thread serves librdkafka's callbacks (delivery reports, statistics), so no cooperative
/// thread ever blocks in `rd_kafka_poll`.
///
/// A fatal error (e.g. the broker lost the idempotence state after a restart) makes a librdkafka producer
/// refuse every later record; this one then replaces its librdkafka instance and goes on. Records in flight
/// at that moment fail (their senders retry); the deterministic event ids make such a retry a duplicate
/// that consumers recognise, never a loss.
public final class KafkaProducer: Sendable {
    private let instances: ProducerInstances
    private let poller: PollThread
    private let closed = Atomic<Bool>(false)
    private let logger: Logger

    public init(configuration: ProducerConfiguration, logger: Logger) throws {
        let context = ClientContext(logger: logger, clientName: configuration.kafka.clientID)
        let instances = try ProducerInstances(properties: configuration.properties, context: context, logger: logger)
        self.instances = instances
        self.logger = logger
        self.poller = PollThread(name: "kafka-producer-poll") { instances.current.client.poll(timeoutMs: 100) }
        poller.start()
    }

    deinit {
        poller.stop()
    }

    /// Produces one record and waits for its delivery report.
    @discardableResult
    public func send(_ record: OutboundRecord) async throws -> DeliveryReport {
        let result = try await sendBatch([record])
        guard let result else { throw KafkaError(.delivery, "no delivery report") }
        return result
    }

    /// Produces records in order and waits until the broker acknowledged all of them; throws the first
    /// failure. Returns the last record's report.
    @discardableResult
    public func sendBatch(_ records: [OutboundRecord]) async throws -> DeliveryReport? {
        let waiter = DeliveryWaiter()
        await enqueue(records) { waiter.complete($0) }
        return try await waiter.value()
    }

    /// Produces records in order and returns once they are queued, before the broker acknowledged them:
    /// records queued by a later call are produced after these. `delivered()` waits for the acknowledgement.
    public func queue(_ records: [OutboundRecord]) async -> PendingDelivery {
        let waiter = DeliveryWaiter()
        await enqueue(records) { waiter.complete($0) }
        return PendingDelivery(waiter: waiter)
    }

    /// Records queued by `queue(_:)`.
    public struct PendingDelivery: Sendable {
        let waiter: DeliveryWaiter

        /// Waits until the broker acknowledged all of the records; throws the first failure.
        @discardableResult
        public func delivered() async throws -> DeliveryReport? { try await waiter.value() }
    }

    /// Produces records in order and calls `completion` once all reports are in (on the poll thread:
    /// keep it short). Waits only while librdkafka's local queue is full.
    public func enqueue(
        _ records: [OutboundRecord],
        completion: @escaping @Sendable (Result<DeliveryReport?, KafkaError>) -> Void
    ) async {
        let tracker = DeliveryTracker(count: records.count, topic: records.first?.topic ?? "", completion: completion)
        await enqueue(records, tracker: tracker)
    }

    private func enqueue(_ records: [OutboundRecord], tracker: DeliveryTracker) async {
        for (index, record) in records.enumerated() {
            if closed.load(ordering: .relaxed) {
                tracker.notEnqueued(count: records.count - index, error: KafkaError(.closed, "producer is closed"))
                return
            }
            while true {
                let instance = instances.current
                let error = produce(record, on: instance, tracker: tracker)
                if error == RD_KAFKA_RESP_ERR_NO_ERROR { break }
                // After a fatal error produce returns its underlying code, e.g. UNKNOWN_PRODUCER_ID.
                if error == RD_KAFKA_RESP_ERR__FATAL || instance.hasFatalError {
                    do {
                        try instances.replace(instance)
                        continue
                    } catch {
                        tracker.notEnqueued(count: records.count - index, error: error)
                        return
                    }
                }
                if error == RD_KAFKA_RESP_ERR__QUEUE_FULL {
                    // Backpressure: librdkafka's queue drains as the broker acknowledges.
                    try? await Task.sleep(for: .milliseconds(1))
                    continue
                }
                tracker.notEnqueued(
                    count: records.count - index, error: KafkaError(.produce, rd: error, context: "produce failed"))
                return
            }
        }
    }

    private func produce(
        _ record: OutboundRecord, on instance: ProducerInstance, tracker: DeliveryTracker
    ) -> rd_kafka_resp_err_t {
        let client = instance.client
        let topic = instance.topics.handle(for: record.topic)
        let opaque = Unmanaged.passRetained(tracker).toOpaque()
        let error = record.value.withUnsafeBytes { value in
            withOptionalBytes(record.key) { key in
                record.headers.withCStrings { headerNames in
                    var fields: [rd_kafka_vu_t] = []
                    fields.reserveCapacity(6 + record.headers.count)
                    fields.append(.init(vtype: RD_KAFKA_VTYPE_RKT, u: .init(rkt: topic)))
                    fields.append(.init(vtype: RD_KAFKA_VTYPE_PARTITION, u: .init(i32: record.partition ?? -1)))
                    fields.append(
                        .init(vtype: RD_KAFKA_VTYPE_VALUE, u: .init(mem: .init(ptr: .init(mutating: value.baseAddress), size: value.count))))
                    if let key {
                        fields.append(
                            .init(vtype: RD_KAFKA_VTYPE_KEY, u: .init(mem: .init(ptr: .init(mutating: key.baseAddress), size: key.count))))
                    }
                    fields.append(.init(vtype: RD_KAFKA_VTYPE_MSGFLAGS, u: .init(i: RD_KAFKA_MSG_F_COPY)))
                    fields.append(.init(vtype: RD_KAFKA_VTYPE_OPAQUE, u: .init(ptr: opaque)))
                    return withHeaderFields(record.headers, names: headerNames, fields: fields) { fields in
                        fields.withUnsafeBufferPointer { buffer in
                            let error = rd_kafka_produceva(client.handle, buffer.baseAddress, buffer.count)
                            defer { rd_kafka_error_destroy(error) }
                            return error.map { rd_kafka_error_code($0) } ?? RD_KAFKA_RESP_ERR_NO_ERROR
                        }
                    }
                }
            }
        }
        if error != RD_KAFKA_RESP_ERR_NO_ERROR {
            Unmanaged<DeliveryTracker>.fromOpaque(opaque).release()
        }
        return error
    }

    /// Waits until every queued record is delivered or `timeout` passes.
    public func flush(timeout: Duration = .seconds(10)) async throws {
        let client = instances.current.client
        let ms = Int32(timeout.components.seconds * 1000)
        let error = await runBlocking { rd_kafka_flush(client.handle, ms) }
        if error != RD_KAFKA_RESP_ERR_NO_ERROR {
            throw KafkaError(.timeout, rd: error, context: "flush did not finish")
        }
    }

    /// Flushes and stops accepting records. Idempotent.
    public func close(timeout: Duration = .seconds(10)) async {
        guard !closed.exchange(true, ordering: .relaxed) else { return }
        do { try await flush(timeout: timeout) } catch {
            logger.warning("producer closed with undelivered records", metadata: ["error": "\(error)"])
        }
        poller.stop()
    }

    /// Records queued in librdkafka and not yet acknowledged.
    public var queuedCount: Int { Int(rd_kafka_outq_len(instances.current.client.handle)) }
}

private func withOptionalBytes<R>(_ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
    guard let bytes else { return body(nil) }
    return bytes.withUnsafeBytes { body($0) }
}

/// Header values must stay alive during `rd_kafka_produceva` (it copies them), so nest the borrows.
private func withHeaderFields<R>(
    _ headers: [KafkaHeader], names: [UnsafePointer<CChar>], index: Int = 0, fields: [rd_kafka_vu_t],
    _ body: ([rd_kafka_vu_t]) -> R
) -> R {
    guard index < headers.count else { return body(fields) }
    return withOptionalBytes(headers[index].value) { bytes in
        var fields = fields
        let header = rd_kafka_vu_t.__Unnamed_union_u.__Unnamed_struct_header(
            name: names[index], val: bytes?.baseAddress, size: bytes.map { $0.count } ?? -1)
        fields.append(.init(vtype: RD_KAFKA_VTYPE_HEADER, u: .init(header: header)))
        return withHeaderFields(headers, names: names, index: index + 1, fields: fields, body)
    }
}

extension Array where Element == KafkaHeader {
    /// Borrows every header name as a C string for the duration of `body`.
    func withCStrings<R>(_ body: ([UnsafePointer<CChar>]) -> R) -> R {
        let strings = map { strdup($0.key)! }
        defer { strings.forEach { free($0) } }
        return body(strings.map { UnsafePointer($0) })
    }
}
