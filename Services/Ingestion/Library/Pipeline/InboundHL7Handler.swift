import VigilKafka

/// `clinical.inbound.hl7v2.v1` for upstream systems that publish instead of connecting: each record's
/// value is one raw HL7 message (or a batch file), processed exactly like an MLLP frame.
public struct InboundHL7Handler: StageHandler {
    public let intake: HL7Intake

    public init(intake: HL7Intake) {
        self.intake = intake
    }

    public func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome] {
        let outcomes = await intake.process(batch.map(\.value))
        if outcomes.contains(where: { if case .failed = $0 { true } else { false } }) {
            // The stage runner retries the batch; what did get published is a duplicate next time.
            throw IngestUnavailable()
        }
        return outcomes.map { outcome in
            if case .rejected(let reason, _) = outcome { return .deadLetter(reason) }
            return .produce([])
        }
    }
}

struct IngestUnavailable: Error, CustomStringConvertible {
    var description: String { "broker or database unavailable; batch will be retried" }
}
