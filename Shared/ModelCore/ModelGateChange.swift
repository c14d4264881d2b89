import Foundation

/// A stop-switch change made by a person on the oversight side (`notify.model_gates`), on
/// `governance.model-status.v1` keyed by model id, so the model registry follows it: stopped means no
/// model output at all, restarted means back to the status it had before the stop.
public struct ModelGateChange: Hashable, Sendable, CloudEventPayload {
    public static let schemaName = "vigil.model-gate-change"
    public static let schemaVersion = SchemaVersion(major: 1, minor: 0)
    public static let cloudEventTypePrefix = "org.vigil.governance"

    public var modelID: String
    public var stopped: Bool
    /// Who changed it (`user:<id>`), and why: AI Act Art 14 evidence, carried into infer's audit entry.
    public var actor: String
    public var reason: String
    public var changedAt: Date { didSet { changedAt = Timestamp.normalized(changedAt) } }

    public init(modelID: String, stopped: Bool, actor: String, reason: String, changedAt: Date) {
        self.modelID = modelID
        self.stopped = stopped
        self.actor = actor
        self.reason = reason
        self.changedAt = Timestamp.normalized(changedAt)
    }

    public var id: EventID {
        EventID.derive(namespace: "model-gate", parts: [modelID, stopped ? "stop" : "restart", String(Timestamp.milliseconds(changedAt))])
    }

    public var cloudEventTypeName: String { "model-gate" }
    public var cloudEventID: String { id.rawValue }
    public var cloudEventTime: Date { changedAt }
    public var cloudEventSubject: String? { modelID }

    private enum CodingKeys: String, CodingKey {
        case modelID, stopped, actor, reason, changedAt
    }

    public init(from decoder: any Decoder) throws {
        try Self.checkSchema(in: decoder)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            modelID: try c.decode(String.self, forKey: .modelID), stopped: try c.decode(Bool.self, forKey: .stopped),
            actor: try c.decode(String.self, forKey: .actor), reason: try c.decode(String.self, forKey: .reason),
            changedAt: try c.decodeTimestamp(forKey: .changedAt))
    }

    public func encode(to encoder: any Encoder) throws {
        try Self.writeSchema(to: encoder)
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(modelID, forKey: .modelID)
        try c.encode(stopped, forKey: .stopped)
        try c.encode(actor, forKey: .actor)
        try c.encode(reason, forKey: .reason)
        try c.encodeTimestamp(changedAt, forKey: .changedAt)
    }
}
