import Foundation
import VigilHL7
import VigilModelCore
import VigilPHI

/// ORU^R01 results (and OBX/NTE inside mapped ADT messages) → events, walking the segments in order.
///
/// - PID starts a patient (an ORU may carry several), PV1 sets its encounter (PV1-19), OBR an order.
/// - OBX → one event: value types NM, SN → quantity; ST → text; CE, CWE, CNE → coded; TX, FT → a `note`
///   (value text, repetitions joined by line breaks). Other value types (ED, RP, DT, TS, …), empty values and
///   statuses without a result (OBX-11 I, O, X, N) are counted as ignored. See `HL7ObservationValue`.
/// - Code: OBX-3 as LOINC when the sender codes it so (primary or alternate triplet), else through the code
///   map, else passed through in its own system (`HL7CodingSystems`).
/// - Kind: `observation` for vital signs and scores (`HL7CodeMap.vitalSigns`, or the code map's kind), `lab`
///   for other ORU results, `observation` for OBX inside ADT; `correction` for OBX-11 `C`, `retraction` for
///   `D`/`W` (no value), both with `revises` = the result key id (`HL7ResultKey`); F, P, R, S, U are results.
/// - Time: OBX-14, else OBR-7, else MSH-7 (each step noted as defaulted); recorded: OBR-22, else MSH-7.
/// - NTE segments right after an OBR or OBX form one `note` event (LOINC 48767-8, annotation comment) at the
///   first NTE's position, timed like their parent; NTE elsewhere is ignored.
extension HL7MappingRun {
    static let commentCode = Coding.loinc("48767-8", display: "Annotation comment [Interpretation] Narrative")
    static let mappedValueTypes: Set<String> = ["NM", "SN", "ST", "TX", "FT", "CE", "CWE", "CNE"]

    struct PatientScope {
        var patient: IdentifiedPatient
        var encounter: String?
    }

    struct OrderScope {
        var index: Int
        var time: Date?
        var timeNotes: [PendingNote]
        /// `filler:<id>^<ns>` or `placer:<id>^<ns>`, with the field it came from.
        var order: (key: String, field: String)?
        var recorded: Date?
    }

    struct Comment {
        var start: Int
        var indices: [Int] = []
        var lines: [String] = []
        var time: Date
        var recorded: Date
        var scope: PatientScope
    }

    enum ResultStatus { case result, correction, retraction }

    mutating func mapSegments(adtPatient: ADTContext?, defaultKind: EventKind) throws(HL7MappingError) {
        var scope = adtPatient.map { PatientScope(patient: $0.patient, encounter: $0.encounter) }
        var order: OrderScope?
        var parentTime: Date??  // nil: no OBR/OBX parent for NTE; .some(nil): parent without a time
        var comment: Comment?
        for segment in segments {
            if segment.id != "NTE", let pending = comment {
                flush(pending)
                comment = nil
            }
            switch segment.id {
            case "PID" where adtPatient == nil:
                scope = PatientScope(patient: try mapPatient(segment), encounter: nil)
                order = nil
                parentTime = nil
            case "PV1" where adtPatient == nil:
                if scope != nil, let visit = visitNumber(PV1Segment(unchecked: segment)) { scope?.encounter = visit }
            case "OBR":
                let scoped = orderScope(segment)
                order = scoped
                parentTime = .some(scoped.time ?? messageTime)
            case "OBX":
                if adtPatient != nil && !configuration.mapObservationsInADT {
                    note(segment.index, "OBX", .ignored, "OBX in ADT not mapped (configuration)")
                    parentTime = nil
                    continue
                }
                parentTime = .some(try mapOBX(segment, scope: scope, order: order, defaultKind: defaultKind))
            case "NTE":
                guard case .some(let time) = parentTime else {
                    note(segment.index, "NTE", .ignored, "not after an OBR or OBX")
                    continue
                }
                let lines = NTESegment(unchecked: segment).comments.compactMap(\.hl7NonEmpty)
                guard !lines.isEmpty else {
                    note(segment.index, "NTE-3", .ignored, "empty comment")
                    continue
                }
                guard let scope else {
                    throw HL7MappingError(
                        .validationFailed, "comment before any PID segment", segmentID: "NTE",
                        segmentIndex: segment.index + 1)
                }
                guard let time else {
                    note(segment.index, "NTE", .ignored, "no time for the comment (parent and MSH-7 have none)")
                    continue
                }
                if comment == nil {
                    comment = Comment(
                        start: segment.index, time: time, recorded: order?.recorded ?? messageTime ?? time,
                        scope: scope)
                }
                comment?.indices.append(segment.index)
                comment?.lines += lines
            default:
                break
            }
        }
        if let comment { flush(comment) }
    }

    private mutating func flush(_ comment: Comment) {
        for index in comment.indices { note(index, "NTE-3", .mapped, "comment (note event)") }
        _ = emit(
            position: comment.start, patient: comment.scope.patient, encounter: comment.scope.encounter, kind: .note,
            code: Self.commentCode, value: .text(comment.lines.joined(separator: "\n")), effective: comment.time,
            recorded: comment.recorded)
    }

    private func orderScope(_ segment: HL7Segment) -> OrderScope {
        let obr = OBRSegment(unchecked: segment)
        var notes: [PendingNote] = []
        let time = instant(segment.field(7), field: "OBR-7", segment: segment.index, notes: &notes)
        var discarded: [PendingNote] = []
        let recorded = instant(segment.field(22), field: "OBR-22", segment: segment.index, notes: &discarded)
        var order: (String, String)?
        for (ei, kind, field) in [(obr.fillerOrderNumber, "filler", "OBR-3"), (obr.placerOrderNumber, "placer", "OBR-2")] {
            guard let id = ei.entityIdentifier.hl7NonEmpty else { continue }
            let namespace = ei.namespaceID.hl7NonEmpty ?? ei.universalID.hl7NonEmpty ?? ""
            order = ("\(kind):\(id)^\(namespace)", field)
            break
        }
        return OrderScope(index: segment.index, time: time, timeNotes: notes, order: order, recorded: recorded)
    }
}
