import Foundation
import Metrics
import VigilHL7

/// One connection's deframing state: turns received bytes into frames for the handler and ACKs back, in
/// the order the frames arrived. Oversize messages are answered with AR (`too_large`) at their position.
struct MLLPSession {
    private var decoder: MLLPDecoder

    init(maxMessageBytes: Int) {
        decoder = MLLPDecoder(configuration: .init(maxFrameBytes: maxMessageBytes))
    }

    private enum Slot {
        case frame(Int)
        case reply([UInt8])
    }

    mutating func receive(_ bytes: some Sequence<UInt8>, handler: any HL7FrameHandler) async -> [[UInt8]] {
        decoder.append(bytes)
        var frames: [[UInt8]] = []
        var slots: [Slot] = []
        while let event = decoder.next() {
            switch event {
            case .frame(let payload):
                slots.append(.frame(frames.count))
                frames.append(payload)
            case .frameTooLarge(let limit):
                Counter(label: "vigil_ingest_rejected_total", dimensions: [("source", "mllp"), ("reason", "too_large")])
                    .increment()
                let error = HL7AckError(
                    condition: .applicationInternalError, text: "too_large: message exceeds \(limit) bytes")
                slots.append(.reply(HL7Ack.build(replyingTo: [], code: .applicationReject, controlID: Self.ackID(), error: error)))
            case .skipped(let count):
                Counter(label: "vigil_mllp_skipped_bytes_total").increment(by: count)
            case .truncatedFrame:
                Counter(label: "vigil_mllp_truncated_frames_total").increment()
            }
        }
        guard !slots.isEmpty else { return [] }
        let start = ContinuousClock.now
        let acks = frames.isEmpty ? [] : await handler.handle(frames)
        if !frames.isEmpty {
            Timer(label: "vigil_mllp_ack_seconds").recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        }
        return slots.map { slot in
            switch slot {
            case .frame(let index): index < acks.count ? acks[index] : []
            case .reply(let bytes): bytes
            }
        }
    }

    /// The peer closed: a frame it left unfinished is counted, never acknowledged.
    mutating func finish() {
        if decoder.bufferedByteCount > 0 { Counter(label: "vigil_mllp_truncated_frames_total").increment() }
    }

    static func ackID() -> String { HL7Intake.ackControlID() }
}
