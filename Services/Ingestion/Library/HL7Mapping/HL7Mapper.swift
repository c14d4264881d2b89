import VigilHL7
import VigilModelCore
import VigilPHI

/// Maps parsed HL7 v2 messages to canonical identified events (issue 4, item 2). Pure: no I/O, no clock.
///
/// - `ADT^A01` → `admission`, `A02` → `transfer`, `A03` → `discharge`, `A04` → `admission`, `A08` → `update`.
///   A04 registers a visit that is not an inpatient admission (emergency arrival, outpatient visit); for
///   Vigil's models it starts a visit exactly as an admission does, and the event keeps the two apart by its
///   code (HL7 table 0003 `A04`) and value (patient class, PV1-2). Other ADT triggers are ignored.
/// - `ORU^R01` → one event per OBX with value type NM, SN, ST, TX, FT, CE, CWE (CNE too); TX/FT results and
///   NTE comments after an OBR or OBX become `note` events for de-identification. See `HL7ResultMapping`.
/// - OBX segments inside a mapped ADT message (vitals taken at admission) map like results unless
///   `Configuration.mapObservationsInADT` is off.
/// - Every other message type is `.ignored(.unsupportedMessageType)`: counted, not an error (or rejected with
///   `unsupported_message` when `Configuration.unsupportedMessages` is `.reject`).
///
/// Event ids derive from `EventSource(system: <sourceSystem or MSH-3^MSH-4>, messageControlID: MSH-10,
/// position: <0-based segment index>)`: the ADT event sits at position 0 (MSH), results and notes at their
/// OBX or first NTE segment. A resent message therefore yields the same ids.
public struct HL7Mapper: Sendable {
    public struct Configuration: Sendable {
        public enum UnsupportedPolicy: Sendable { case ignore, reject }

        /// Local codes → LOINC (default: `HL7CodeMap.standard`).
        public var codeMap: HL7CodeMap
        /// Unit spellings → UCUM (default: `HL7UnitTable.standard`).
        public var units: HL7UnitTable
        /// The UTC offset, in minutes, of times sent without one (the sender's local time, which only the
        /// interface configuration knows). Every such time is noted as defaulted in the coverage.
        public var assumedUTCOffsetMinutes: Int
        /// Whether OBX segments inside mapped ADT messages become observation events.
        public var mapObservationsInADT: Bool
        /// What to do with message types and triggers Vigil does not map.
        public var unsupportedMessages: UnsupportedPolicy

        public init(
            codeMap: HL7CodeMap = .standard, units: HL7UnitTable = .standard, assumedUTCOffsetMinutes: Int = 0,
            mapObservationsInADT: Bool = true, unsupportedMessages: UnsupportedPolicy = .ignore
        ) {
            self.codeMap = codeMap
            self.units = units
            self.assumedUTCOffsetMinutes = assumedUTCOffsetMinutes
            self.mapObservationsInADT = mapObservationsInADT
            self.unsupportedMessages = unsupportedMessages
        }
    }

    /// ADT triggers Vigil maps, and the kind each becomes.
    public static let adtKinds: [String: EventKind] = [
        "A01": .admission, "A02": .transfer, "A03": .discharge, "A04": .admission, "A08": .update,
    ]

    public var configuration: Configuration

    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Maps one message. `sourceSystem` overrides MSH-3^MSH-4 as the events' source system (e.g. the name of
    /// the MLLP channel or inbound topic the message arrived on).
    public func map(_ message: HL7Message, sourceSystem: String? = nil) throws(HL7MappingError) -> HL7Mapping {
        var run = HL7MappingRun(message: message, configuration: configuration, sourceSystem: sourceSystem)
        return try run.map()
    }
}
