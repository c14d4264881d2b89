import CRdKafka
import Foundation
import Logging
import Synchronization

/// Owns one `rd_kafka_t*` and its configuration callbacks; the only place that creates or destroys it.
///
/// `@unchecked Sendable`: the handle is immutable after init, librdkafka's API is thread-safe for it, and
/// `deinit` runs only when no Swift code can reach it any more.
final class RdKafkaClient: @unchecked Sendable {
    enum Kind { case producer, consumer }

    let handle: OpaquePointer
    let context: ClientContext
    private let destroyed = Atomic<Bool>(false)

    init(kind: Kind, properties: [String: String], context: ClientContext) throws {
        try LibrdkafkaVersion.check()
        guard let conf = rd_kafka_conf_new() else { throw KafkaError(.clientCreation, "rd_kafka_conf_new failed") }
        var errorText = [CChar](repeating: 0, count: 512)
        for (key, value) in properties.sorted(by: { $0.key < $1.key }) {
            if rd_kafka_conf_set(conf, key, value, &errorText, errorText.count) != RD_KAFKA_CONF_OK {
                rd_kafka_conf_destroy(conf)
                throw KafkaError(.configuration, cText(errorText))
            }
        }
        self.context = context
        // The opaque is unretained: `self` keeps `context` alive longer than the handle.
        rd_kafka_conf_set_opaque(conf, Unmanaged.passUnretained(context).toOpaque())
        rd_kafka_conf_set_log_cb(conf, kafkaLogCallback)
        if properties["statistics.interval.ms"] != nil { rd_kafka_conf_set_stats_cb(conf, kafkaStatsCallback) }
        if kind == .producer { rd_kafka_conf_set_dr_msg_cb(conf, kafkaDeliveryCallback) }
        if kind == .consumer { rd_kafka_conf_set_rebalance_cb(conf, kafkaRebalanceCallback) }

        let type = kind == .producer ? RD_KAFKA_PRODUCER : RD_KAFKA_CONSUMER
        // On success rd_kafka_new takes ownership of conf; on failure it stays ours.
        guard let handle = rd_kafka_new(type, conf, &errorText, errorText.count) else {
            rd_kafka_conf_destroy(conf)
            throw KafkaError(.clientCreation, cText(errorText))
        }
        self.handle = handle
    }

    deinit {
        if !destroyed.exchange(true, ordering: .relaxed) { rd_kafka_destroy(handle) }
    }

    /// Destroys the handle as a crash would leave it: no commit, no leaving the group (tests only).
    func destroyWithoutClose() {
        guard !destroyed.exchange(true, ordering: .relaxed) else { return }
        rd_kafka_destroy_flags(handle, Int32(RD_KAFKA_DESTROY_F_NO_CONSUMER_CLOSE))
    }

    /// Serves queued callbacks (delivery reports, statistics, logs); blocks up to `timeoutMs`.
    func poll(timeoutMs: Int32) {
        rd_kafka_poll(handle, timeoutMs)
    }

    /// Topic names known to the cluster. Blocking: call from a dedicated thread.
    func topicNames(timeoutMs: Int32) throws -> [String] {
        var metadata: UnsafePointer<rd_kafka_metadata>?
        let err = rd_kafka_metadata(handle, 1, nil, &metadata, timeoutMs)
        guard err == RD_KAFKA_RESP_ERR_NO_ERROR, let metadata else {
            throw KafkaError(.admin, rd: err, context: "metadata request failed")
        }
        defer { rd_kafka_metadata_destroy(metadata) }
        let topics = UnsafeBufferPointer(start: metadata.pointee.topics, count: Int(metadata.pointee.topic_cnt))
        return topics.map { String(cString: $0.topic) }
    }
}

/// Version checks: Debian's librdkafka 2.0 links but cannot talk to the dev broker; fail at once instead
/// of timing out 15 s later.
public enum LibrdkafkaVersion {
    public static var current: String { String(cString: rd_kafka_version_str()) }
    /// 2.1.0 as librdkafka encodes versions (0xMMmmrrxx).
    static let minimum: Int32 = 0x0201_00ff

    public static func check() throws {
        guard rd_kafka_version() >= minimum else {
            throw KafkaError(
                .libraryVersion,
                "librdkafka \(current) is loaded but 2.1 or newer is required; run infra/dev/up.sh and "
                    + "put .vigil/lib on LD_LIBRARY_PATH (source .vigil/env)")
        }
    }
}
