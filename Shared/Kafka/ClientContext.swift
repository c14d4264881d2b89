import CRdKafka
import Logging
import Synchronization

/// State the C callbacks reach through librdkafka's opaque pointer. Immutable except for the rebalance
/// listener, which a lock guards.
final class ClientContext: Sendable {
    enum Rebalance: Sendable {
        case assigned([TopicPartition])
        case revoked([TopicPartition])
    }

    let logger: Logger
    let statistics: KafkaStatistics
    private let rebalanceListener = Mutex<(@Sendable (Rebalance) -> Void)?>(nil)

    init(logger: Logger, clientName: String) {
        self.logger = logger
        self.statistics = KafkaStatistics(client: clientName)
    }

    func onRebalance(_ listener: @escaping @Sendable (Rebalance) -> Void) {
        rebalanceListener.withLock { $0 = listener }
    }

    func notify(_ event: Rebalance) {
        let listener = rebalanceListener.withLock { $0 }
        listener?(event)
    }

    static func from(_ opaque: UnsafeMutableRawPointer?) -> ClientContext? {
        opaque.map { Unmanaged<ClientContext>.fromOpaque($0).takeUnretainedValue() }
    }
}

// C callbacks: they capture nothing; state arrives through the opaque pointer.

let kafkaLogCallback: @convention(c) (OpaquePointer?, Int32, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Void = {
    handle, level, facility, text in
    guard let handle, let context = ClientContext.from(rd_kafka_opaque(handle)) else { return }
    // syslog levels: 0-3 error, 4 warning, 5-6 info, 7 debug.
    let swiftLevel: Logger.Level = level <= 3 ? .error : level == 4 ? .warning : level <= 6 ? .info : .debug
    let facilityText = facility.map { String(cString: $0) } ?? ""
    context.logger.log(
        level: swiftLevel, "\(text.map { String(cString: $0) } ?? "")",
        metadata: ["kafka.facility": "\(facilityText)"])
}

let kafkaStatsCallback: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int, UnsafeMutableRawPointer?)
    -> Int32 = { _, json, length, opaque in
        if let json, let context = ClientContext.from(opaque) {
            context.statistics.record(UnsafeRawBufferPointer(start: json, count: length))
        }
        return 0  // librdkafka frees the JSON
    }

let kafkaDeliveryCallback: @convention(c) (OpaquePointer?, UnsafePointer<rd_kafka_message_t>?, UnsafeMutableRawPointer?)
    -> Void = { _, message, _ in
        guard let message, let opaque = message.pointee._private else { return }
        // Balanced with passRetained in KafkaProducer.enqueue: one retain per produced record.
        let tracker = Unmanaged<DeliveryTracker>.fromOpaque(opaque).takeRetainedValue()
        tracker.delivered(error: message.pointee.err, partition: message.pointee.partition, offset: message.pointee.offset)
    }

let kafkaRebalanceCallback: @convention(c) (
    OpaquePointer?, rd_kafka_resp_err_t, UnsafeMutablePointer<rd_kafka_topic_partition_list_t>?,
    UnsafeMutableRawPointer?
) -> Void = { handle, error, partitions, opaque in
    guard let handle else { return }
    let context = ClientContext.from(opaque)
    let cooperative = String(cString: rd_kafka_rebalance_protocol(handle)) == "COOPERATIVE"
    let list = partitions.map(TopicPartition.list) ?? []
    switch error {
    case RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS:
        context?.logger.info("partitions assigned", metadata: ["kafka.partitions": "\(list)"])
        context?.notify(.assigned(list))
        if cooperative { rd_kafka_error_destroy(rd_kafka_incremental_assign(handle, partitions)) }
        else { rd_kafka_assign(handle, partitions) }
    case RD_KAFKA_RESP_ERR__REVOKE_PARTITIONS:
        context?.logger.info("partitions revoked", metadata: ["kafka.partitions": "\(list)"])
        // The listener finishes in-flight work and stores offsets before we let the partitions go.
        context?.notify(.revoked(list))
        if cooperative { rd_kafka_error_destroy(rd_kafka_incremental_unassign(handle, partitions)) }
        else { rd_kafka_assign(handle, nil) }
    default:
        context?.logger.error("rebalance failed", metadata: ["kafka.error": "\(String(cString: rd_kafka_err2str(error)))"])
        rd_kafka_assign(handle, nil)
    }
}

extension TopicPartition {
    static func list(_ pointer: UnsafeMutablePointer<rd_kafka_topic_partition_list_t>) -> [TopicPartition] {
        let elements = UnsafeBufferPointer(start: pointer.pointee.elems, count: Int(pointer.pointee.cnt))
        return elements.map { TopicPartition(topic: String(cString: $0.topic), partition: $0.partition) }
    }
}
