import Foundation
import VigilHL7
import VigilModelCore
import VigilPHI

/// One OBX → at most one event (see `HL7ResultMapping` for the rules). Returns the observation time, which
/// NTE comments after the OBX inherit, even when the OBX itself is ignored.
extension HL7MappingRun {
    mutating func mapOBX(
        _ segment: HL7Segment, scope: PatientScope?, order: OrderScope?, defaultKind: EventKind
    ) throws(HL7MappingError) -> Date? {
        let obx = OBXSegment(unchecked: segment)
        let index = segment.index
        var notes: [PendingNote] = []

        // Time first: comments after an ignored OBX still need one.
        var effective = instant(segment.field(14), field: "OBX-14", segment: index, notes: &notes)
        var usesOrderTime = false
        if effective == nil, let orderTime = order?.time {
            effective = orderTime
            usesOrderTime = true
            notes.append(PendingNote(index, "OBX-14", .defaulted, "absent or invalid; OBR-7 used"))
        } else if effective == nil, let messageTime {
            effective = messageTime
            notes.append(PendingNote(index, "OBX-14", .defaulted, "absent or invalid; no OBR-7; MSH-7 used"))
        } else if effective != nil {
            notes.append(PendingNote(index, "OBX-14", .mapped, "observation time"))
        }

        let status: ResultStatus
        switch obx.resultStatus.hl7NonEmpty?.uppercased() {
        case nil:
            status = .result
            notes.append(PendingNote(index, "OBX-11", .defaulted, "absent; final assumed"))
        case "F", "P", "R", "S", "U": status = .result
        case "C": status = .correction
        case "D", "W": status = .retraction
        case "I", "O", "X", "N":
            note(index, "OBX-11", .ignored, "status without a result (I, O, X, N)")
            return effective
        default:
            note(index, "OBX-11", .ignored, "not a result status of HL7 table 0085")
            return effective
        }

        var value: EventValue?
        var isText = false
        if status != .retraction {
            let field = segment.field(5)
            guard let valueType = obx.valueType.hl7NonEmpty?.uppercased() else {
                if field.isEmpty {
                    note(index, "OBX-5", .ignored, "empty; no result value")
                    return effective
                }
                throw HL7MappingError(
                    .validationFailed, "OBX-2 (value type) is empty but OBX-5 has a value", segmentID: "OBX",
                    segmentIndex: index + 1, field: 2)
            }
            guard Self.mappedValueTypes.contains(valueType) else {
                note(index, "OBX-2", .ignored, "value type not mapped (only NM SN ST TX FT CE CWE CNE)")
                return effective
            }
            guard !field.isEmpty, !field.isNull else {
                note(index, "OBX-5", .ignored, field.isNull ? "explicit null; no result value" : "empty; no result value")
                return effective
            }
            guard let read = observationValue(obx, type: valueType, index: index, notes: &notes) else {
                commitIgnored(notes)
                return effective
            }
            value = read
            isText = valueType == "TX" || valueType == "FT"
        }

        guard let resolved = observationCode(obx.observationIdentifier, index: index, notes: &notes) else {
            throw HL7MappingError(
                .validationFailed, "OBX-3 has no observation identifier", segmentID: "OBX", segmentIndex: index + 1,
                field: 3, component: 1)
        }
        guard let scope else {
            throw HL7MappingError(
                .validationFailed, "result before any PID segment", segmentID: "OBX", segmentIndex: index + 1)
        }
        guard let effective else {
            throw HL7MappingError(
                .validationFailed, "no observation time (OBX-14, OBR-7 and MSH-7 absent or invalid)",
                segmentID: "OBX", segmentIndex: index + 1, field: 14)
        }

        let key = resultKey(obx, raw: resolved.raw, order: order, scope: scope, index: index, notes: &notes)
        let kind: EventKind =
            switch status {
            case .correction: .correction
            case .retraction: .retraction
            case .result:
                isText
                    ? .note
                    : HL7CodeMap.vitalSigns.contains(resolved.coding.code) && resolved.coding.system == Coding.System.loinc
                        ? .observation : resolved.kind ?? defaultKind
            }
        if status != .result {
            notes.append(
                PendingNote(
                    index, "OBX-11", .mapped,
                    status == .correction ? "corrected result (revises the result key)" : "deleted result (retraction)"))
        }
        if usesOrderTime, let order { commit(order.timeNotes + [PendingNote(order.index, "OBR-7", .mapped, "observation time of its results")]) }
        commit(notes)
        let id = emit(
            position: index, patient: scope.patient, encounter: scope.encounter, kind: kind,
            revises: status == .result ? nil : key.id, code: resolved.coding, value: value, effective: effective,
            recorded: order?.recorded ?? messageTime ?? effective)
        resultKeys[id] = key
        return effective
    }

    /// Only the `ignored` notes of an OBX that yields no event (its time and code notes would mislead).
    private mutating func commitIgnored(_ notes: [PendingNote]) {
        commit(notes.filter { $0.disposition == .ignored }.map { PendingNote(nil, $0.field, $0.disposition, $0.reason) })
    }

    struct ResolvedCode {
        var coding: Coding
        var kind: EventKind?
        /// The identifier as sent (coding system upper-cased, code), for the result key.
        var raw: (system: String, code: String)
    }

    /// OBX-3 → the event code: LOINC as sent (primary, then alternate), then the code map, then pass-through.
    func observationCode(_ cwe: HL7CWE, index: Int, notes: inout [PendingNote]) -> ResolvedCode? {
        let primary = cwe.identifier.hl7NonEmpty.map { (code: $0, system: cwe.codingSystem, text: cwe.text) }
        let alternate = cwe.alternateIdentifier.hl7NonEmpty.map {
            (code: $0, system: cwe.alternateCodingSystem, text: cwe.alternateText)
        }
        let triplets = [primary, alternate].compactMap { $0 }
        guard let first = triplets.first else { return nil }
        let raw = (system: first.system.hl7NonEmpty?.uppercased() ?? "", code: first.code)
        let display = { (text: String?) in text.hl7NonEmpty ?? cwe.originalText.hl7NonEmpty }
        for (offset, t) in triplets.enumerated() where HL7CodingSystems.isLOINC(t.system) {
            notes.append(
                PendingNote(index, "OBX-3", .mapped, offset == 0 ? "LOINC as sent" : "LOINC from the alternate coding"))
            return ResolvedCode(coding: .loinc(t.code, display: display(t.text)), kind: nil, raw: raw)
        }
        for t in triplets {
            if let entry = configuration.codeMap.lookup(system: t.system, code: t.code) {
                notes.append(PendingNote(index, "OBX-3", .mapped, "local code mapped to LOINC (code map)"))
                var coding = entry.coding
                if coding.display == nil { coding.display = display(t.text) }
                return ResolvedCode(coding: coding, kind: entry.kind, raw: raw)
            }
        }
        let (uri, isKnown) = HL7CodingSystems.uri(for: first.system)
        notes.append(
            isKnown
                ? PendingNote(index, "OBX-3", .mapped, "standard code system other than LOINC, as sent")
                : PendingNote(index, "OBX-3", .defaulted, "local code not in the code map; passed through"))
        return ResolvedCode(coding: Coding(system: uri, code: first.code, display: display(first.text)), kind: nil, raw: raw)
    }

    private func resultKey(
        _ obx: OBXSegment, raw: (system: String, code: String), order: OrderScope?, scope: PatientScope, index: Int,
        notes: inout [PendingNote]
    ) -> HL7ResultKey {
        var key = HL7ResultKey(
            sourceSystem: sourceSystem.isEmpty ? Self.unknownSender : sourceSystem, order: nil,
            observationSystem: raw.system, observationCode: raw.code, subID: obx.observationSubID.hl7NonEmpty ?? "")
        if let order, let found = order.order {
            key.order = found.key
            notes.append(PendingNote(order.index, found.field, .mapped, "order number (result key)"))
        } else {
            key.patient = scope.patient.assigningAuthority + "|" + scope.patient.patientID
            key.observationTime = obx.segment.field(14).component(1).string.hl7NonEmpty ?? ""
            if obx.resultStatus.hl7NonEmpty?.uppercased().first.map({ "CDW".contains($0) }) == true {
                notes.append(
                    PendingNote(index, "OBR-3", .defaulted, "no order number; result key uses patient and OBX-14"))
            }
        }
        return key
    }
}
