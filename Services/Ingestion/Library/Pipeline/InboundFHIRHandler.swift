import VigilKafka

/// `clinical.inbound.fhir.v1`: each record's value is one FHIR R4 JSON body (a Bundle or one resource),
/// processed like an HTTP `POST /fhir`. Headers `content-type` and `vigil-source-system` play the roles
/// of their HTTP counterparts.
public struct InboundFHIRHandler: StageHandler {
    public let submission: FHIRSubmission
    public let defaultSourceSystem: String

    public init(submission: FHIRSubmission, defaultSourceSystem: String) {
        self.submission = submission
        self.defaultSourceSystem = defaultSourceSystem
    }

    public func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome] {
        var outcomes: [StageOutcome] = []
        for message in batch {
            let source = message.headerText("vigil-source-system").flatMap { $0.isEmpty ? nil : $0 } ?? defaultSourceSystem
            switch await submission.submit(message.value, contentType: message.headerText("content-type"), sourceSystem: source) {
            case .accepted: outcomes.append(.produce([]))
            case .rejected(let rejection): outcomes.append(.deadLetter(rejection.deadLetterReason))
            case .unavailable: throw IngestUnavailable()
            }
        }
        return outcomes
    }
}

extension KafkaMessage {
    /// The last header named `key` (case-insensitive), as UTF-8 text.
    func headerText(_ key: String) -> String? {
        let key = key.lowercased()
        return headers.last { $0.key.lowercased() == key }.flatMap { $0.value.flatMap { String(validating: $0, as: UTF8.self) } }
    }
}
