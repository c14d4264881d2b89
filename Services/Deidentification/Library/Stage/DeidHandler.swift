import Foundation
import Logging
import Metrics
import VigilAudit
import VigilKafka
import VigilModelCore
import VigilPHI

/// The PHI boundary on the stage runner: identified event → vault → policy → egress gate →
/// `clinical.events.v1`. It fails closed: anything that goes wrong with an event (policy, keys, scrubber, a
/// known identifier still in the output) quarantines it to the identified dead-letter topic with a reason
/// code and an audit entry; nothing passes in clear. Only a database outage retries the batch.
public struct DeidHandler: StageHandler {
    public let deidentifier: Deidentifier
    public let vault: PatientVault
    public let audit: AuditLog
    public let outputTopic: String
    let logger: Logger

    public init(
        deidentifier: Deidentifier, vault: PatientVault, audit: AuditLog, outputTopic: String = Topics.events,
        logger: Logger
    ) {
        self.deidentifier = deidentifier
        self.vault = vault
        self.audit = audit
        self.outputTopic = outputTopic
        self.logger = logger
    }

    public func handle(_ batch: [KafkaMessage]) async throws -> [StageOutcome] {
        var outcomes: [StageOutcome] = []
        outcomes.reserveCapacity(batch.count)
        for message in batch {
            let start = ContinuousClock.now
            Counter(label: "vigil_deid_events_in_total").increment()
            let outcome = try await process(message)
            Timer(label: "vigil_deid_latency_seconds").recordNanoseconds((ContinuousClock.now - start).nanoseconds)
            outcomes.append(outcome)
        }
        return outcomes
    }

    private func process(_ message: KafkaMessage) async throws -> StageOutcome {
        let event: IdentifiedEvent
        let envelope: CloudEvent
        do {
            (event, envelope) = try IdentifiedEvent.decodeWithEnvelope(
                headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value)
        } catch {
            return try await quarantine(nil, DeidError(.decodeError, "not an identified event"), kinds: [])
        }
        // A vault failure is the database being unavailable: retry the batch, never publish without a row.
        let context = try await vault.context(for: event.patient) { deidentifier.dateShiftDays(for: event.patient) }
        let clinical: ClinicalEvent
        let encoded: (headers: KafkaHeaderList, data: [UInt8])
        do {
            clinical = try deidentifier.deidentify(event, patient: context)
            encoded = try CloudEvent.encode(
                event: clinical, source: "vigil-deid", traceparent: envelope.traceparent, tracestate: envelope.tracestate,
                extensions: ["deidpolicy": deidentifier.policyHash])
        } catch let error as DeidError {
            return try await quarantine(event, error, kinds: [])
        } catch {
            return try await quarantine(event, DeidError(.scrubberError, "de-identification failed"), kinds: [])
        }
        // The egress gate: the patient's own identifiers must not be anywhere in what leaves.
        let found = EgressGate.check(data: encoded.data, headers: encoded.headers, known: KnownIdentity(event.patient))
        if !found.isEmpty {
            return try await quarantine(event, DeidError(.egressPHIDetected, "known identifier in output"), kinds: found)
        }
        Counter(label: "vigil_deid_events_out_total").increment()
        for (type, count) in clinical.deidentification?.spans ?? [:] {
            Counter(label: "vigil_deid_phi_spans_total", dimensions: [("type", type)]).increment(by: count)
        }
        return .produce([
            OutboundRecord(
                topic: outputTopic, key: Array(clinical.patient.rawValue.utf8), value: encoded.data,
                headers: encoded.headers.map { KafkaHeader(key: $0.key, value: $0.value) })
        ])
    }

    /// Dead-letters the original (identified) record and audits why, naming only reason codes and kinds.
    private func quarantine(_ event: IdentifiedEvent?, _ error: DeidError, kinds: [String]) async throws -> StageOutcome {
        let kindList = Array(Set(kinds)).sorted().joined(separator: ",")
        Counter(label: "vigil_deid_events_quarantined_total", dimensions: [("reason", error.code.rawValue)]).increment()
        if error.code == .egressPHIDetected {
            for kind in Set(kinds) {
                Counter(label: "vigil_deid_egress_blocked_total", dimensions: [("needle_kind", kind)]).increment()
            }
        }
        logger.warning(
            "event quarantined", metadata: ["event.id": "\(event?.id.rawValue ?? "-")", "reason": "\(error.code.rawValue)"])
        _ = try await audit.append(
            actor: "service:deid", action: "deid.quarantine", subject: "event:\(event?.id.rawValue ?? "undecodable")",
            details: ["reason": error.code.rawValue, "needleKinds": kindList])
        return .deadLetter(DeadLetterReason(code: error.code.rawValue, detail: error.reason))
    }
}
