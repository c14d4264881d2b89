import Foundation
import VigilHL7
import VigilModelCore
import VigilPHI

/// ADT A01/A02/A03/A04/A08 → one `admission`/`transfer`/`discharge`/`update` event at position 0.
///
/// - Patient: the first PID (required). Encounter: PV1-19 visit number (CX-1).
/// - Code: the trigger event in HL7 table 0003 (`http://terminology.hl7.org/CodeSystem/v2-0003|A01`).
///   Value: the patient class (PV1-2, table 0004), when sent.
/// - Effective time, first present of: admissions PV1-44 (admit date/time), discharges PV1-45 (discharge
///   date/time), then EVN-6 (event occurred), EVN-2 (recorded), MSH-7; transfers and updates start at EVN-6.
///   Every step past the first is noted as defaulted. Recorded time: EVN-2, else MSH-7, else the effective time.
/// - OBX segments (vitals taken at admission) map as observations, NTE after them as notes (see
///   `HL7ResultMapping`); all other segments (NK1, GT1, IN1, DG1, AL1, …) are counted as ignored.
extension HL7MappingRun {
    static let eventTypeSystem = "http://terminology.hl7.org/CodeSystem/v2-0003"
    static let patientClassSystem = "http://terminology.hl7.org/CodeSystem/v2-0004"

    static let triggerDisplays: [String: String] = [
        "A01": "ADT/ACK - Admit/visit notification", "A02": "ADT/ACK - Transfer a patient",
        "A03": "ADT/ACK - Discharge/end visit", "A04": "ADT/ACK - Register a patient",
        "A08": "ADT/ACK - Update patient information",
    ]

    static let patientClasses: [String: String] = [
        "I": "Inpatient", "O": "Outpatient", "E": "Emergency", "P": "Preadmit", "R": "Recurring patient",
        "B": "Obstetrics", "C": "Commercial Account", "N": "Not Applicable", "U": "Unknown",
    ]

    mutating func mapADT(kind: EventKind, trigger: String) throws(HL7MappingError) {
        guard let pidSegment = message.firstSegment("PID") else {
            throw HL7MappingError(.validationFailed, "ADT message without a PID segment", segmentID: "PID")
        }
        let patient = try mapPatient(pidSegment)
        let pv1 = message.pv1
        var encounter: String?
        if let pv1 {
            encounter = visitNumber(pv1)
        }
        let evn = message.evn

        // Effective time: candidates in order; the first is the natural source for this kind.
        var candidates: [(HL7Element, String, Int)] = []
        if let pv1, kind == .admission { candidates.append((pv1.segment.field(44), "PV1-44", pv1.segment.index)) }
        if let pv1, kind == .discharge { candidates.append((pv1.segment.field(45), "PV1-45", pv1.segment.index)) }
        if let evn {
            candidates.append((evn.segment.field(6), "EVN-6", evn.segment.index))
            candidates.append((evn.segment.field(2), "EVN-2", evn.segment.index))
        }
        var effective: Date?
        for (offset, (element, field, index)) in candidates.enumerated() {
            var notes: [PendingNote] = []
            guard let date = instant(element, field: field, segment: index, notes: &notes) else {
                commit(notes)
                continue
            }
            commit(notes)
            note(index, field, offset == 0 ? .mapped : .defaulted, offset == 0 ? "event time" : "fallback event time")
            effective = date
            break
        }
        if effective == nil, let messageTime {
            note(0, "MSH-7", .defaulted, "no event time in PV1/EVN; message time used")
            effective = messageTime
        }
        guard let effective else {
            throw HL7MappingError(
                .validationFailed, "no valid event time (PV1-44/45, EVN-6, EVN-2, MSH-7)", segmentID: "MSH",
                segmentIndex: 1, field: 7)
        }
        var recorded = messageTime ?? effective
        if let evn, let date = instant(evn.segment.field(2), field: "EVN-2", segment: evn.segment.index, log: false) {
            recorded = date
            note(evn.segment.index, "EVN-2", .mapped, "recorded time")
        }

        var value: EventValue?
        if let pv1, let patientClass = pv1.patientClass.hl7NonEmpty?.uppercased() {
            value = .coded(
                Coding(system: Self.patientClassSystem, code: patientClass, display: Self.patientClasses[patientClass]))
            note(pv1.segment.index, "PV1-2", .mapped, "patient class (event value)")
        }
        let code = Coding(system: Self.eventTypeSystem, code: trigger, display: Self.triggerDisplays[trigger])
        _ = emit(
            position: 0, patient: patient, encounter: encounter, kind: kind, code: code, value: value,
            effective: effective, recorded: recorded)
        try mapSegments(
            adtPatient: ADTContext(patient: patient, pidIndex: pidSegment.index, encounter: encounter),
            defaultKind: .observation)
    }

    /// PV1-19 CX-1, noting it as mapped; nil (and nothing noted) when absent.
    mutating func visitNumber(_ pv1: PV1Segment) -> String? {
        guard let visit = pv1.visitNumber.id.hl7NonEmpty else { return nil }
        note(pv1.segment.index, "PV1-19", .mapped, "encounter (visit number)")
        return visit
    }
}

/// The patient of an ADT message, for the OBX/NTE segments that follow.
struct ADTContext {
    var patient: IdentifiedPatient
    var pidIndex: Int
    var encounter: String?
}
