import VigilKafka
import VigilModelCore

/// Which topics each service makes sure exist. Every service creates the topics it touches, so start-up
/// order does not matter.
public enum TopicPlan {
    public static func topics(for service: String) -> [String] {
        switch service {
        case "ingest": [Topics.inboundHL7v2, Topics.inboundFHIR, Topics.identifiedEvents, Topics.identifiedDeadLetter]
        case "deid": [Topics.identifiedEvents, Topics.events, Topics.identifiedDeadLetter]
        case "infer": [Topics.events, Topics.risk, Topics.deadLetter]
        case "notify": [Topics.risk, Topics.events, Topics.alerts, Topics.deadLetter, Topics.modelStatus, Topics.governanceAlerts]
        default: Topics.all
        }
    }

    public static func specs(for service: String, partitions: Int) -> [KafkaAdmin.TopicSpec] {
        topics(for: service).map { KafkaAdmin.TopicSpec(name: $0, partitions: partitions) }
    }
}
