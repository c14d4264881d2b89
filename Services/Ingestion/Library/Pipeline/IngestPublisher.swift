import Crypto
import Foundation
import Logging
import Metrics
import VigilKafka
import VigilModelCore
import VigilPHI

/// One inbound message, mapped and ready to publish.
public struct PreparedMessage: Sendable {
    public var fingerprint: MessageFingerprint
    public var events: [IdentifiedEvent]
    /// W3C trace context carried from the source (or started here) to every event it yields.
    public var traceparent: TraceParent
    /// When ingest had the message (parsed and mapped): where ingest → alert latency starts.
    public var receivedAt: Date

    public init(
        fingerprint: MessageFingerprint, events: [IdentifiedEvent], traceparent: TraceParent = .start(),
        receivedAt: Date = Date()
    ) {
        self.fingerprint = fingerprint
        self.events = events
        self.traceparent = traceparent
        self.receivedAt = receivedAt
    }
}

/// Why a publish did not happen; the sender should resend (AE), nothing was recorded as seen.
public struct PublishFailure: Error, Sendable, CustomStringConvertible {
    public var description: String
}

/// Publishes mapped messages to `clinical.events.identified.v1`, exactly once in effect:
/// duplicates (same sender, control id and content) are acknowledged without publishing again;
/// a reused control id with different content is a conflict, published under content-derived ids and
/// recorded; a message counts as seen only after the broker acknowledged all of its events.
public struct IngestPublisher: Sendable {
    public let producer: KafkaProducer
    public let ledger: DedupeLedger
    public let source: String
    public let topic: String
    let logger: Logger

    public init(producer: KafkaProducer, ledger: DedupeLedger, source: String, topic: String = Topics.identifiedEvents, logger: Logger) {
        self.producer = producer
        self.ledger = ledger
        self.source = source
        self.topic = topic
        self.logger = logger
    }

    /// One result per message, in order: the verdict, or why it could not be published.
    public func publish(_ messages: [PreparedMessage]) async -> [Result<LedgerVerdict, PublishFailure>] {
        let verdicts: [LedgerVerdict]
        do { verdicts = try await ledger.check(messages.map(\.fingerprint)) } catch {
            logger.warning("dedupe ledger unavailable", metadata: ["error": "\(error)"])
            return messages.map { _ in .failure(PublishFailure(description: "ledger unavailable")) }
        }
        var results = [Result<LedgerVerdict, PublishFailure>?](repeating: nil, count: messages.count)
        // Queued one message after another, in the order they arrived, so a patient's messages reach the topic
        // in that order (the idempotent producer keeps it through retries); then all are awaited together.
        var pending: [(index: Int, verdict: LedgerVerdict, count: Int, delivery: KafkaProducer.PendingDelivery)] = []
        for (index, (message, verdict)) in zip(messages, verdicts).enumerated() {
            if verdict == .duplicate {
                results[index] = .success(.duplicate)
                continue
            }
            do {
                let records = try message.events.map { event in
                    try record(for: verdict == .conflict ? conflicted(event, message.fingerprint) : event, message)
                }
                pending.append((index, verdict, records.count, await producer.queue(records)))
            } catch {
                results[index] = failed(error)
            }
        }
        for item in pending {
            do {
                try await item.delivery.delivered()
                // What de-identification must read: the run summary's loss check starts here.
                Counter(label: "vigil_ingest_events_published_total").increment(by: item.count)
                results[item.index] = .success(item.verdict)
            } catch {
                results[item.index] = failed(error)
            }
        }
        let published = zip(messages, results).filter { (try? $0.1?.get()).map { $0 != .duplicate } ?? false }
        do {
            try await ledger.record(
                published.map(\.0.fingerprint), eventCounts: published.map(\.0.events.count),
                traces: published.map { (String($0.0.traceparent.traceID), $0.0.receivedAt) })
        } catch {
            // Already on the broker: a resend will be published again and deduplicated downstream by id.
            logger.warning("dedupe ledger not updated", metadata: ["error": "\(error)"])
        }
        for result in results {
            if case .success(let verdict)? = result {
                Counter(label: "vigil_ingest_ledger_total", dimensions: [("verdict", verdict.rawValue)]).increment()
            }
        }
        return results.map { $0 ?? .failure(PublishFailure(description: "not attempted")) }
    }

    private func failed(_ error: any Error) -> Result<LedgerVerdict, PublishFailure> {
        // Kafka errors name topics and broker states, never record contents.
        logger.warning("publish failed; the sender is asked to resend", metadata: ["error": "\(error)"])
        return .failure(PublishFailure(description: "publish failed: \(error)"))
    }

    private func record(for event: IdentifiedEvent, _ message: PreparedMessage) throws -> OutboundRecord {
        let (headers, data) = try CloudEvent.encode(event: event, source: source, traceparent: message.traceparent)
        return OutboundRecord(
            topic: topic, key: Array(event.patient.partitionKey.utf8), value: data,
            headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) })
    }

    /// A conflicting version keeps its content: new ids derived from the original id and the content hash,
    /// so downstream deduplication does not swallow it.
    private func conflicted(_ event: IdentifiedEvent, _ fingerprint: MessageFingerprint) -> IdentifiedEvent {
        var copy = event
        let digest = Hex.encode(fingerprint.contentSHA256)
        copy.id = EventID.derive(namespace: "ingest.conflict", parts: [event.id.rawValue, digest])
        return copy
    }
}

extension TraceParent {
    /// A new sampled trace: version 00, random trace and span ids.
    public static func start() -> TraceParent {
        TraceParent("00-\(Hex.random(bytes: 16))-\(Hex.random(bytes: 8))-01")!
    }
}

extension MessageFingerprint {
    public init(sourceSystem: String, controlID: String, content: [UInt8]) {
        self.init(sourceSystem: sourceSystem, controlID: controlID, contentSHA256: Array(SHA256.hash(data: content)))
    }
}
