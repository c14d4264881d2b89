import VigilModelCore
import VigilPHI

/// What `HL7Mapper` made of one message.
public struct HL7Mapping: Hashable, Sendable {
    /// Whether the message produced events.
    public enum Disposition: Hashable, Sendable {
        case mapped
        /// Nothing to publish; the message is acknowledged and counted, not dead-lettered.
        case ignored(IgnoreReason)
    }

    /// Why a message produced no events. Raw values are metric labels.
    public enum IgnoreReason: String, Hashable, Sendable, CaseIterable {
        /// A message type or trigger event Vigil does not map (e.g. `SIU^S12`, `ADT^A05`).
        case unsupportedMessageType = "unsupported_message_type"
        /// A mapped type whose segments held nothing to map (e.g. only pending results).
        case nothingToMap = "nothing_to_map"
    }

    /// MSH-9 as sent (`ADT^A01^ADT_A01`).
    public var messageType: String
    /// MSH-9.1 and MSH-9.2 (`ADT`, `A01`); the trigger falls back to EVN-1 for pre-2.3 ADT.
    public var messageCode: String?
    public var triggerEvent: String?
    /// MSH-10; nil only for ignored messages that lack it.
    public var controlID: String?
    /// The `EventSource.system` of the events: the caller's, or MSH-3^MSH-4.
    public var sourceSystem: String
    public var disposition: Disposition
    /// In segment order; ids derive from (source system, MSH-10, segment index).
    public var events: [IdentifiedEvent]
    /// For every result event (OBX-derived, including corrections and retractions): its result key, the
    /// stable identity a later correction or retraction names in `revises` (see `HL7ResultKey`).
    public var resultKeys: [EventID: HL7ResultKey]
    public var coverage: HL7MappingCoverage

    public var isIgnored: Bool {
        if case .ignored = disposition { return true }
        return false
    }
}

/// The stable identity of one result across messages, so a correction (`OBX-11 = C`) or a deletion
/// (`D`, `W`) that arrives in a *new* message — with a new MSH-10, hence no way to rebuild the original
/// event's source-derived id — can name what it revises.
///
/// Key: the sending system, the order number (OBR-3 filler order number, else OBR-2 placer order number,
/// each with its namespace), the observation identifier as sent (OBX-3 coding system and code, before any
/// code mapping, so a change of the code map does not break the link) and the sub-id (OBX-4). A result
/// outside an order (an OBX in an ADT message, an OBR without order numbers) has no order number: its key
/// uses the patient (assigning authority and id) and the observation time as sent (OBX-14) instead.
///
/// `id` is what corrections and retractions carry in `revises`; the original result event carries the same
/// key in `HL7Mapping.resultKeys`, so a consumer resolves `revises` by recording, per key, the latest event
/// it has seen. Result key ids live in their own hash namespace and never equal a source-derived event id.
public struct HL7ResultKey: Hashable, Sendable {
    public static let namespace = "vigil.hl7v2.result-key/1"

    public var sourceSystem: String
    /// `filler:<id>^<namespace>`, `placer:<id>^<namespace>` or nil.
    public var order: String?
    public var observationSystem: String
    public var observationCode: String
    public var subID: String
    /// Only for keys without an order: the patient and the observation time as sent.
    public var patient: String?
    public var observationTime: String?

    public var id: EventID {
        EventID.derive(
            namespace: Self.namespace,
            parts: [
                sourceSystem, order ?? "", observationSystem, observationCode, subID, patient ?? "",
                observationTime ?? "",
            ])
    }
}

/// Holds a patient identifier for result keys without an order number: prints as `HL7ResultKey(redacted)`.
extension HL7ResultKey: PHIRedacted {}
