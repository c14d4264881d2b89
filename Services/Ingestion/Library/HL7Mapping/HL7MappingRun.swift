import Foundation
import VigilHL7
import VigilModelCore
import VigilPHI

/// The state of mapping one message: events produced so far, coverage, and which segments contributed.
struct HL7MappingRun {
    typealias Disposition = HL7MappingCoverage.Disposition

    let message: HL7Message
    let configuration: HL7Mapper.Configuration
    let segments: [HL7Segment]
    let header: MSHSegment
    let sourceSystem: String
    var controlID = ""
    var events: [IdentifiedEvent] = []
    var resultKeys: [EventID: HL7ResultKey] = [:]
    var coverage = HL7MappingCoverage()
    /// Per segment index: nil (ignored so far), mapped or defaulted.
    var used: [Disposition?]
    /// MSH-7, when valid.
    var messageTime: Date?

    init(message: HL7Message, configuration: HL7Mapper.Configuration, sourceSystem: String?) {
        self.message = message
        self.configuration = configuration
        self.segments = message.segments
        self.header = message.header
        self.used = Array(repeating: nil, count: segments.count)
        if let given = sourceSystem.hl7NonEmpty {
            self.sourceSystem = given
        } else {
            let parts = [header.sendingApplication, header.sendingFacility].map {
                $0.namespaceID.hl7NonEmpty ?? $0.universalID.hl7NonEmpty ?? ""
            }
            self.sourceSystem = parts.allSatisfy(\.isEmpty) ? "" : parts.joined(separator: "^")
        }
    }

    // MARK: Entry

    mutating func map() throws(HL7MappingError) -> HL7Mapping {
        let code = header.messageCode.hl7NonEmpty?.uppercased()
        var trigger = header.triggerEvent.hl7NonEmpty?.uppercased()
        guard let code else {
            throw HL7MappingError(
                .validationFailed, "MSH-9 has no message code", segmentID: "MSH", segmentIndex: 1, field: 9,
                component: 1)
        }
        if trigger == nil, code == "ADT", let evn = message.evn, let fromEVN = evn.eventTypeCode.hl7NonEmpty {
            trigger = fromEVN.uppercased()
            note(evn.segment.index, "EVN-1", .defaulted, "MSH-9.2 absent; trigger event read from EVN-1")
        }
        let adtKind = code == "ADT" ? trigger.flatMap { HL7Mapper.adtKinds[$0] } : nil
        let isResult = code == "ORU" && trigger == "R01"
        guard adtKind != nil || isResult else {
            if configuration.unsupportedMessages == .reject {
                throw HL7MappingError(
                    .unsupportedMessage, "message type or trigger event not mapped", segmentID: "MSH",
                    segmentIndex: 1, field: 9)
            }
            coverage.addNote("MSH-9", .ignored, "message type or trigger event not mapped")
            return finish(code: code, trigger: trigger, disposition: .ignored(.unsupportedMessageType))
        }
        guard let control = header.controlID.hl7NonEmpty else {
            throw HL7MappingError(
                .validationFailed, "MSH-10 (message control id) is empty; event ids derive from it",
                segmentID: "MSH", segmentIndex: 1, field: 10)
        }
        controlID = control
        use(0)
        messageTime = instant(header.segment.field(7), field: "MSH-7", segment: 0, log: true)
        if sourceSystem.isEmpty {
            note(0, "MSH-3", .defaulted, "MSH-3 and MSH-4 empty; source system unknown")
        }
        if let adtKind, let trigger {
            try mapADT(kind: adtKind, trigger: trigger)
        } else {
            try mapSegments(adtPatient: nil, defaultKind: .lab)
        }
        return finish(
            code: code, trigger: trigger, disposition: events.isEmpty ? .ignored(.nothingToMap) : .mapped)
    }

    private mutating func finish(code: String?, trigger: String?, disposition: HL7Mapping.Disposition) -> HL7Mapping {
        for segment in segments {
            let disposition = used[segment.index] ?? .ignored
            coverage.addSegment(segment.id, disposition)
            if disposition != .ignored { noteUnreadFields(segment) }
        }
        return HL7Mapping(
            messageType: header.messageType, messageCode: code, triggerEvent: trigger,
            controlID: header.controlID.hl7NonEmpty, sourceSystem: sourceSystem.isEmpty ? Self.unknownSender : sourceSystem,
            disposition: disposition, events: events, resultKeys: resultKeys, coverage: coverage)
    }

    static let unknownSender = "urn:vigil:hl7v2:unknown-sender"

    // MARK: Events

    mutating func emit(
        position: Int, patient: IdentifiedPatient, encounter: String?, kind: EventKind, revises: EventID? = nil,
        code: Coding, value: EventValue?, effective: Date, recorded: Date
    ) -> EventID {
        let source = EventSource(
            system: sourceSystem.isEmpty ? Self.unknownSender : sourceSystem, messageControlID: controlID,
            position: position)
        let event = IdentifiedEvent(
            patient: patient, encounter: encounter, kind: kind, revises: revises, code: code, value: value,
            effectiveTime: effective, recordedTime: recorded, source: source)
        events.append(event)
        return event.id
    }

    // MARK: Coverage

    /// Marks a segment as having contributed (mapped unless already defaulted).
    mutating func use(_ index: Int) {
        if used[index] == nil { used[index] = .mapped }
    }

    /// Records a field note; a `defaulted` note also marks its segment as used with a default.
    mutating func note(_ index: Int?, _ field: String, _ disposition: Disposition, _ reason: StaticString) {
        coverage.addNote(field, disposition, reason)
        guard let index else { return }
        switch disposition {
        case .mapped: use(index)
        case .defaulted: used[index] = .defaulted
        case .ignored: break
        }
    }

    /// Records buffered notes (made while deciding whether a segment yields an event).
    mutating func commit(_ notes: [PendingNote]) {
        for n in notes { note(n.index, n.field, n.disposition, n.reason) }
    }

    /// Fields present in a contributing segment that the mapping does not read.
    private mutating func noteUnreadFields(_ segment: HL7Segment) {
        guard let read = Self.readFields[segment.id], segment.fieldCount > 0 else { return }
        for number in 1...segment.fieldCount where !read.contains(number) && !segment.field(number).isEmpty {
            coverage.addNote("\(segment.id)-\(number)", .ignored, "present but not mapped")
        }
    }

    /// Fields each mapped segment type reads (MSH-1/2, MSH-11/12 and MSH-18 are read by the parser and the ACK).
    static let readFields: [String: Set<Int>] = [
        "MSH": [1, 2, 3, 4, 7, 9, 10, 11, 12, 18],
        "EVN": [1, 2, 6],
        "PID": [2, 3, 4, 5, 7, 8, 11, 13, 14, 19, 20],
        "PV1": [2, 19, 44, 45],
        "OBR": [2, 3, 7, 22],
        "OBX": [2, 3, 4, 5, 6, 11, 14],
        "NTE": [3],
    ]

    // MARK: Times

    /// A DTM field as an instant. Notes (when `log`): invalid → ignored; imprecise or offset-less → defaulted.
    mutating func instant(_ element: HL7Element, field: String, segment: Int, log: Bool) -> Date? {
        var notes: [PendingNote] = []
        let date = instant(element, field: field, segment: segment, notes: &notes)
        if log { commit(notes) }
        return date
    }

    func instant(_ element: HL7Element, field: String, segment: Int, notes: inout [PendingNote]) -> Date? {
        guard let text = element.component(1).string.hl7NonEmpty else { return nil }
        guard let dateTime = HL7DateTime(text) else {
            notes.append(PendingNote(segment, field, .ignored, "not a valid date/time"))
            return nil
        }
        let date = dateTime.date(assumedOffsetMinutes: configuration.assumedUTCOffsetMinutes)
        guard Timestamp.format(date) != nil else {
            notes.append(PendingNote(segment, field, .ignored, "date/time outside years 0000-9999"))
            return nil
        }
        if dateTime.precision < .minute {
            notes.append(PendingNote(segment, field, .defaulted, "less precise than minutes; start of period used"))
        }
        if dateTime.utcOffsetMinutes == nil {
            notes.append(PendingNote(segment, field, .defaulted, "no UTC offset; configured offset assumed"))
        }
        return date
    }
}

/// A coverage note held back until the segment's fate is known.
struct PendingNote {
    var index: Int?
    var field: String
    var disposition: HL7MappingCoverage.Disposition
    var reason: StaticString

    init(_ index: Int?, _ field: String, _ disposition: HL7MappingCoverage.Disposition, _ reason: StaticString) {
        self.index = index
        self.field = field
        self.disposition = disposition
        self.reason = reason
    }
}
