import Foundation
import Histogram
import Logging
import VigilKafka
import VigilModelCore
import VigilPostgres

/// The bench's own subscriber on `clinical.risk.v1` and `clinical.alerts.v1` (a consumer group of its own):
/// it notes when each record arrived and the W3C trace id in its `traceparent`. Ingest starts one trace per
/// MLLP message and every stage carries it on, so a risk record's or alert's trace names the message that
/// caused it; `ingest.messages` maps trace id to control id (ingest 0002 stores it as each message is received).
final class E2EProbe: @unchecked Sendable {
    struct Arrival {
        var trace: Substring
        var at: ContinuousClock.Instant
    }

    // Guarded by `lock`: appended by the reading task, read by the bench between phases.
    private let lock = NSLock()
    private var risks: [Arrival] = []
    private var raised: [Arrival] = []
    private let consumer: KafkaConsumer

    init(kafka: KafkaConfiguration, logger: Logger) throws {
        consumer = try KafkaConsumer(
            configuration: ConsumerConfiguration(
                kafka: kafka, groupID: "vigil-bench-probe-\(UUID().uuidString.prefix(8))",
                topics: [Topics.risk, Topics.alerts], bufferCapacity: 20_000, maxBatch: 1000),
            logger: logger)
    }

    /// Reads until `close`.
    func run() async {
        for await batch in consumer.batches {
            let now = ContinuousClock.now
            var risk: [Arrival] = []
            var alert: [Arrival] = []
            for message in batch {
                guard let trace = Self.header(message, "traceparent"), trace.count >= 35 else { continue }
                let arrival = Arrival(trace: Substring(trace.dropFirst(3).prefix(32)), at: now)
                if message.topic == Topics.risk {
                    risk.append(arrival)
                } else if Self.header(message, "ce_type") == "org.vigil.alert.raised.v1" {
                    alert.append(arrival)
                }
            }
            lock.withLock {
                risks += risk
                raised += alert
            }
        }
    }

    func close() async { await consumer.close() }

    var counts: (risks: Int, raised: Int) { lock.withLock { (risks.count, raised.count) } }

    /// Latencies of the records caused by messages in `due`, from each message's due time to arrival; and
    /// from a message's first risk record to its raised alert (notify's share: decision, outbox, publish).
    func latencies(
        due: [String: ContinuousClock.Instant], traces: [String: String]
    ) -> (risk: Latency, alert: Latency, riskToAlert: Latency) {
        let (risk, alert) = lock.withLock { (risks, raised) }
        var firstRisk: [String: ContinuousClock.Instant] = [:]
        for arrival in risk where firstRisk[String(arrival.trace)] == nil {
            firstRisk[String(arrival.trace)] = arrival.at
        }
        func measure(_ arrivals: [Arrival], from start: (String) -> ContinuousClock.Instant?) -> Latency {
            var histogram = Histogram<UInt64>(
                highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
            var last: ContinuousClock.Instant?
            for arrival in arrivals {
                let trace = String(arrival.trace)
                guard let control = traces[trace], due[control] != nil, let sent = start(trace) else { continue }
                let micros = (arrival.at - sent).seconds * 1e6
                _ = histogram.record(UInt64(max(0, micros)))
                last = max(last ?? arrival.at, arrival.at)
            }
            return Latency(histogram, last: last)
        }
        let fromDue = { (trace: String) in traces[trace].flatMap { due[$0] } }
        return (measure(risk, from: fromDue), measure(alert, from: fromDue), measure(alert) { firstRisk[$0] })
    }

    /// Trace id → control id for every message ingest has recorded.
    static func traces(pool: PostgresPool) async throws -> [String: String] {
        var result: [String: String] = [:]
        for row in try await pool.query("SELECT trace_id, control_id FROM ingest.messages WHERE trace_id IS NOT NULL") {
            let (trace, control) = try row.decode((String, String).self)
            result[trace] = control
        }
        return result
    }

    private static func header(_ message: KafkaMessage, _ key: String) -> String? {
        message.headers.first { $0.key == key }?.value.map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Percentiles in milliseconds from an HdrHistogram of microseconds.
struct Latency: Codable {
    var count: Int
    var p50: Double
    var p95: Double
    var p99: Double
    var p999: Double
    var max: Double
    /// When the last counted record arrived (not reported).
    var last: ContinuousClock.Instant?

    enum CodingKeys: String, CodingKey { case count, p50, p95, p99, p999, max }

    init(_ histogram: Histogram<UInt64>, last: ContinuousClock.Instant?) {
        func ms(_ value: UInt64) -> Double { Double(value) / 1000 }
        count = Int(histogram.totalCount)
        p50 = ms(histogram.valueAtPercentile(50))
        p95 = ms(histogram.valueAtPercentile(95))
        p99 = ms(histogram.valueAtPercentile(99))
        p999 = ms(histogram.valueAtPercentile(99.9))
        max = ms(histogram.max)
        self.last = last
    }
}
