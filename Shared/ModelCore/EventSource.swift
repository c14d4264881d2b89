/// Where an event came from: the sending system, its message control id (HL7 MSH-10, FHIR Bundle id)
/// and the event's position inside that message (segment or entry index). Together they fix the `EventID`.
public struct EventSource: Hashable, Sendable, Codable {
    /// The sending system, e.g. `MSH-3^MSH-4` or a FHIR server base URL.
    public var system: String
    public var messageControlID: String
    /// Zero-based position of the event within the message.
    public var position: Int

    public init(system: String, messageControlID: String, position: Int) {
        self.system = system
        self.messageControlID = messageControlID
        self.position = position
    }

    public var eventID: EventID { EventID(source: self) }
}

/// What happened. A new kind is a breaking change for consumers (they reject what they cannot interpret),
/// so it comes with a major schema version.
public enum EventKind: String, Hashable, Sendable, Codable, CaseIterable {
    case observation
    case lab
    case admission
    case transfer
    case discharge
    /// Demographic or encounter update (e.g. ADT^A08).
    case update
    case medication
    case note
    /// Replaces the event named by `revises`.
    case correction
    /// Withdraws the event named by `revises` (entered in error).
    case retraction

    /// Kinds that revise an earlier event and carry `revises`.
    public var isRevision: Bool { self == .correction || self == .retraction }
}
