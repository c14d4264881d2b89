import Foundation
import Logging
import Metrics
import VigilHL7
import VigilKafka
import VigilModelCore

/// What became of one inbound HL7 message.
public enum HL7IntakeOutcome: Sendable {
    /// Its events are on the broker (or were already: a duplicate).
    case accepted(LedgerVerdict)
    /// A type Vigil does not map: acknowledged and counted, nothing published.
    case ignored(String)
    /// It can never be processed: dead-letter it with this reason, answer AR.
    case rejected(DeadLetterReason, HL7AckError)
    /// It could not be published now (broker or database down): answer AE, the sender resends.
    case failed(String)
}

/// parse → map → publish, for a batch of raw HL7 messages from any channel (MLLP, inbound topic).
public struct HL7Intake: Sendable {
    public let mapper: HL7Mapper
    public let publisher: IngestPublisher
    public let channel: String

    public init(mapper: HL7Mapper, publisher: IngestPublisher, channel: String) {
        self.mapper = mapper
        self.publisher = publisher
        self.channel = channel
    }

    public func process(_ raw: [[UInt8]]) async -> [HL7IntakeOutcome] {
        let start = ContinuousClock.now
        var outcomes = [HL7IntakeOutcome?](repeating: nil, count: raw.count)
        var prepared: [(Int, PreparedMessage)] = []
        for (index, bytes) in raw.enumerated() {
            Counter(label: "vigil_ingest_received_total", dimensions: [("source", channel)]).increment()
            switch prepare(bytes) {
            case .publish(let message): prepared.append((index, message))
            case .done(let outcome): outcomes[index] = outcome
            }
        }
        Timer(label: "vigil_ingest_parse_seconds", dimensions: [("source", channel)])
            .recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        let results = await publisher.publish(prepared.map(\.1))
        for ((index, _), result) in zip(prepared, results) {
            switch result {
            case .success(let verdict): outcomes[index] = .accepted(verdict)
            case .failure(let failure): outcomes[index] = .failed(failure.description)
            }
        }
        let final = outcomes.map { $0 ?? .failed("not processed") }
        for outcome in final { count(outcome) }
        return final
    }

    private enum Preparation {
        case publish(PreparedMessage)
        case done(HL7IntakeOutcome)
    }

    /// A mapped message to publish, or what already became of it (ignored, rejected).
    private func prepare(_ bytes: [UInt8]) -> Preparation {
        let message: HL7Message
        do { message = try HL7Message(parsing: bytes) } catch {
            return .done(.rejected(DeadLetterReason(code: error.code.rawValue, detail: "\(error)"), HL7AckError(error, bytes: bytes)))
        }
        let mapping: HL7Mapping
        do { mapping = try mapper.map(message) } catch {
            let ack = HL7AckError(
                condition: error.code == .unsupportedMessage ? .unsupportedMessageType : .requiredFieldMissing,
                text: error.code.rawValue, segmentID: error.segmentID, segmentSequence: error.segmentIndex.map { _ in 1 },
                field: error.field)
            return .done(.rejected(DeadLetterReason(code: error.code.rawValue, detail: "\(error)"), ack))
        }
        // Never a silent drop: what was mapped, defaulted or ignored, by message type and segment.
        for (segment, counts) in mapping.coverage.segments {
            for state in HL7MappingCoverage.Disposition.allCases where counts[state] > 0 {
                Counter(
                    label: "vigil_ingest_mapping_segments_total",
                    dimensions: [("message_type", mapping.messageCode ?? "?"), ("segment", segment), ("state", state.rawValue)]
                ).increment(by: counts[state])
            }
        }
        if case .ignored(let why) = mapping.disposition { return .done(.ignored(why.rawValue)) }
        let fingerprint = MessageFingerprint(
            sourceSystem: mapping.sourceSystem, controlID: mapping.controlID ?? "", content: bytes)
        return .publish(PreparedMessage(fingerprint: fingerprint, events: mapping.events))
    }

    private func count(_ outcome: HL7IntakeOutcome) {
        let (result, reason): (String, String) =
            switch outcome {
            case .accepted(let verdict): ("accepted", verdict.rawValue)
            case .ignored(let why): ("ignored", why)
            case .rejected(let reason, _): ("rejected", reason.code)
            case .failed: ("failed", "unavailable")
            }
        Counter(label: "vigil_ingest_messages_total", dimensions: [("source", channel), ("result", result), ("reason", reason)])
            .increment()
    }
}
