import VigilKafka

/// Which topics each service makes sure exist. Every service creates the topics it touches, so start-up
/// order does not matter.
public enum TopicPlan {
    public static let all = [
        "clinical.inbound.hl7v2.v1", "clinical.inbound.fhir.v1", "clinical.events.identified.v1",
        "clinical.events.v1", "clinical.risk.v1", "clinical.alerts.v1", "clinical.deadletter.v1",
        "clinical.deadletter.identified.v1",
    ]

    public static func topics(for service: String) -> [String] {
        switch service {
        case "ingest":
            ["clinical.inbound.hl7v2.v1", "clinical.inbound.fhir.v1", "clinical.events.identified.v1",
             "clinical.deadletter.identified.v1"]
        case "deid": ["clinical.events.identified.v1", "clinical.events.v1", "clinical.deadletter.identified.v1"]
        case "infer": ["clinical.events.v1", "clinical.risk.v1", "clinical.deadletter.v1"]
        case "notify": ["clinical.risk.v1", "clinical.alerts.v1", "clinical.deadletter.v1"]
        default: all
        }
    }

    public static func specs(for service: String, partitions: Int) -> [KafkaAdmin.TopicSpec] {
        topics(for: service).map { KafkaAdmin.TopicSpec(name: $0, partitions: partitions) }
    }
}
