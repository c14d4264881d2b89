/// Kafka topic names — the public contract described in `docs/asyncapi.yaml`.
public enum Topics {
    /// Raw HL7 v2 messages from upstream systems (PHI zone).
    public static let inboundHL7v2 = "clinical.inbound.hl7v2.v1"
    /// Raw FHIR R4 JSON resources/bundles from upstream systems (PHI zone).
    public static let inboundFHIR = "clinical.inbound.fhir.v1"
    /// Canonical events with identified patients, from ingest to de-id (PHI zone).
    public static let identifiedEvents = "clinical.events.identified.v1"
    /// De-identified canonical events keyed by pseudonym.
    public static let events = "clinical.events.v1"
    /// Score/prediction records keyed by pseudonym.
    public static let risk = "clinical.risk.v1"
    /// Alert lifecycle events keyed by pseudonym.
    public static let alerts = "clinical.alerts.v1"
    /// Dead letters without PHI.
    public static let deadLetter = "clinical.deadletter.v1"
    /// Dead letters that may hold PHI (PHI zone only).
    public static let identifiedDeadLetter = "clinical.deadletter.identified.v1"

    /// Stop-switch changes from notify's oversight to infer's registry, keyed by model id.
    public static let modelStatus = "governance.model-status.v1"
    /// Model-safety threshold crossings from post-market monitoring, keyed by model id.
    public static let governanceAlerts = "governance.alerts.v1"

    public static let all: [String] = [
        inboundHL7v2, inboundFHIR, identifiedEvents, events, risk, alerts, deadLetter, identifiedDeadLetter, modelStatus,
        governanceAlerts,
    ]

    /// Topics that may carry identified data; services outside the PHI zone must never touch them.
    public static let phiZone: Set<String> = [inboundHL7v2, inboundFHIR, identifiedEvents, identifiedDeadLetter]
}
