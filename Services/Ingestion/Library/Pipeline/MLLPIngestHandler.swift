import Foundation
import Logging
import VigilHL7
import VigilKafka
import VigilModelCore

/// The MLLP listener's handler: AA only once the message's events are on the broker (or were already),
/// AR with an ERR segment for messages that can never be processed (their bytes go to the identified
/// dead-letter topic first), AE when the broker or database is unavailable — the sender then resends.
public struct MLLPIngestHandler: HL7FrameHandler {
    public let intake: HL7Intake
    public let deadLetterTopic: String
    let logger: Logger

    public init(intake: HL7Intake, deadLetterTopic: String, logger: Logger) {
        self.intake = intake
        self.deadLetterTopic = deadLetterTopic
        self.logger = logger
    }

    public func handle(_ frames: [[UInt8]]) async -> [[UInt8]] {
        let outcomes = await intake.process(frames)
        var deadLettered = [Bool](repeating: true, count: frames.count)
        await withTaskGroup(of: (Int, Bool).self) { group in
            for (index, outcome) in outcomes.enumerated() {
                guard case .rejected(let reason, _) = outcome else { continue }
                let record = DeadLetter.record(
                    key: nil, value: frames[index], reason: reason, stage: "ingest", topic: deadLetterTopic,
                    source: intake.channel)
                group.addTask {
                    do {
                        try await intake.publisher.producer.send(record)
                        return (index, true)
                    } catch {
                        return (index, false)
                    }
                }
            }
            for await (index, stored) in group { deadLettered[index] = stored }
        }
        return zip(frames, outcomes).enumerated().map { index, pair in
            let (frame, outcome) = pair
            let controlID = HL7Intake.ackControlID()
            switch outcome {
            case .accepted, .ignored:
                return HL7Ack.build(replyingTo: frame, code: .applicationAccept, controlID: controlID)
            case .rejected(_, let error) where deadLettered[index]:
                return HL7Ack.build(replyingTo: frame, code: .applicationReject, controlID: controlID, error: error)
            case .rejected, .failed:
                // Not stored anywhere yet: ask for a resend rather than lose it.
                let error = HL7AckError(condition: .applicationInternalError, text: "temporarily unavailable, resend")
                return HL7Ack.build(replyingTo: frame, code: .applicationError, controlID: controlID, error: error)
            }
        }
    }
}

extension HL7Intake {
    /// MSH-10 of an ACK: 20 random hex characters (the field allows 20 in v2.5 and later).
    static func ackControlID() -> String { Hex.random(bytes: 10) }
}
