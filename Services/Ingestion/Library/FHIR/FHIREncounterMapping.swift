import Foundation
import VigilModelCore
import VigilPHI

/// Encounter → `admission` (period.start) and `discharge` (period.end, when finished) events.
///
/// The event code is `class` (v3-ActCode AMB/IMP/EMER…), the value the first coded `type`; the encounter
/// field carries the visit number (first identifier value, else the id). Planned, cancelled and
/// entered-in-error encounters are not ingested; an encounter without period.start yields no admission.
extension FHIRMapper {
    static let encounterMapped: Set<String> = ["status", "class", "type", "subject", "period", "identifier"]

    mutating func mapEncounter(_ entry: FHIREntry, _ resource: FHIRJSON.Object) {
        let type = "Encounter"
        guard
            let patient = admittedPatient(
                entry, resource, type: type, skippedStatuses: ["planned", "cancelled", "entered-in-error"],
                mapped: Self.encounterMapped)
        else { return }
        let status = resource["status"] as? String ?? ""
        var code: Coding
        if let classCoding = FHIRJSON.object(resource["class"]), let system = FHIRJSON.string(classCoding["system"]),
            let value = FHIRJSON.string(classCoding["code"])
        {
            code = Coding(system: system, code: value, display: FHIRJSON.string(classCoding["display"]))
        } else {
            coverage.element(type, "class", .defaulted)
            code = Coding(system: Self.resourceTypes, code: type)
        }
        let encounterType = FHIRJSON.objects(resource["type"]).lazy.compactMap { Self.preferredCoding($0) }.first
        let value = encounterType.map(EventValue.coded)
        let visit = Self.visitNumber(of: resource, fullUrl: entry.fullUrl)
        let period = FHIRJSON.object(resource["period"])
        let start = FHIRTime.parse(period?["start"] as? String)
        let end = FHIRTime.parse(period?["end"] as? String)
        let lastUpdated = FHIRTime.parse(FHIRJSON.object(resource["meta"])?["lastUpdated"] as? String)?.date
        var produced = 0
        if let start {
            if !start.isPrecise { coverage.element(type, "period.start", .defaulted) }
            emit(
                entry, sub: 0, type: type, patient: patient, kind: .admission, code: code, value: value,
                effective: start.date, recorded: lastUpdated ?? start.date, encounter: visit)
            produced += 1
        } else {
            coverage.element(type, "period.start", .ignored)
        }
        if let end, status == "finished" || status == "unknown" {
            if !end.isPrecise { coverage.element(type, "period.end", .defaulted) }
            emit(
                entry, sub: 1, type: type, patient: patient, kind: .discharge, code: code, value: value,
                effective: end.date, recorded: lastUpdated ?? end.date, encounter: visit)
            produced += 1
        } else if end != nil {
            coverage.element(type, "period.end", .ignored)
        }
        if produced == 0 {
            coverage.resource(type, .ignored)
            log.warning(
                .informational, "an Encounter without period.start (or a finished period.end) yields no event",
                at: entry.resourcePath + ".period")
        } else {
            coverage.resource(type, .mapped)
        }
        if let time = start?.date ?? end?.date {
            narrativeNote(entry, resource, type: type, patient: patient, time: time, encounter: visit)
        }
    }
}
