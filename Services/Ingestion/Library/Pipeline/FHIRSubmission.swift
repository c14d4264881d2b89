import Foundation
import Logging
import Metrics
import VigilKafka
import VigilModelCore

/// What became of one FHIR body (HTTP `POST` or a record of `clinical.inbound.fhir.v1`).
public enum FHIRSubmissionOutcome: Sendable {
    /// The events are on the broker (or were already: a duplicate).
    case accepted(LedgerVerdict, events: Int, outcome: FHIROperationOutcome)
    /// Invalid or unsupported: answer `rejection.httpStatus` with its OperationOutcome, dead-letter the body.
    case rejected(FHIRIntakeRejection)
    /// Could not be published now (broker or database down): 503, the client retries.
    case unavailable(String)
}

/// validate → map → publish for FHIR R4 JSON from any channel; the HTTP endpoint and the inbound topic
/// differ only in how they answer.
public struct FHIRSubmission: Sendable {
    public let publisher: IngestPublisher
    public let channel: String
    public let maxBodyBytes: Int

    public init(publisher: IngestPublisher, channel: String, maxBodyBytes: Int = 32 << 20) {
        self.publisher = publisher
        self.channel = channel
        self.maxBodyBytes = maxBodyBytes
    }

    /// `sourceSystem` scopes control ids and patient ids known only by logical id (one value per client).
    public func submit(
        _ body: [UInt8], contentType: String?, sourceSystem: String, expectedResourceType: String? = nil
    ) async -> FHIRSubmissionOutcome {
        Counter(label: "vigil_ingest_received_total", dimensions: [("source", channel)]).increment()
        let start = ContinuousClock.now
        let result = FHIRIntake.process(
            body, contentType: contentType,
            options: FHIRIntake.Options(
                sourceSystem: sourceSystem, receivedAt: Date(), maxBodyBytes: maxBodyBytes,
                expectedResourceType: expectedResourceType))
        Timer(label: "vigil_ingest_parse_seconds", dimensions: [("source", channel)])
            .recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        let outcome: FHIRSubmissionOutcome
        switch result {
        case .rejected(let rejection):
            outcome = .rejected(rejection)
        case .accepted(let acceptance):
            countCoverage(acceptance.coverage)
            let message = PreparedMessage(
                fingerprint: MessageFingerprint(
                    sourceSystem: sourceSystem, controlID: acceptance.messageControlID,
                    contentSHA256: acceptance.contentSHA256),
                events: acceptance.events)
            switch await publisher.publish([message]).first {
            case .success(let verdict)?:
                outcome = .accepted(verdict, events: acceptance.events.count, outcome: acceptance.outcome)
            case .failure(let failure)?:
                outcome = .unavailable(failure.description)
            case nil:
                outcome = .unavailable("not attempted")
            }
        }
        count(outcome)
        return outcome
    }

    private func countCoverage(_ coverage: FHIRMappingCoverage) {
        for (key, count) in coverage.resources {
            Counter(
                label: "vigil_ingest_mapping_resources_total",
                dimensions: [("resource_type", key.resourceType), ("state", key.disposition.rawValue)]
            ).increment(by: count)
        }
    }

    private func count(_ outcome: FHIRSubmissionOutcome) {
        let (result, reason): (String, String) =
            switch outcome {
            case .accepted(let verdict, _, _): ("accepted", verdict.rawValue)
            case .rejected(let rejection): ("rejected", rejection.reason.rawValue)
            case .unavailable: ("failed", "unavailable")
            }
        Counter(label: "vigil_ingest_messages_total", dimensions: [("source", channel), ("result", result), ("reason", reason)])
            .increment()
    }
}
