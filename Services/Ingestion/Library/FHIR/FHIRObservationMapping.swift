import Foundation
import VigilModelCore
import VigilPHI

/// Observation → `observation`/`lab` events.
///
/// - Code: the LOINC coding of `code` when present, else its first coded coding.
/// - Kind: `lab` when a category is `laboratory`, else `observation` (vital signs, survey, exam, …).
/// - Value: `valueQuantity` (UCUM `code` as the unit), `valueCodeableConcept`, `valueString`, `valueInteger`
///   (unit `1`), `valueBoolean` (v2-0136 Y/N), `valueTime`/`valueDateTime` as text; Range, Ratio, SampledData
///   and Period values are not mapped (counted as ignored; the event carries no value).
/// - Components: one event per component (blood pressure 85354-9/55284-4 → 8480-6 and 8462-4), plus one for
///   the observation's own value when it has one; an observation without components always yields one event.
/// - Time: effectiveDateTime, effectivePeriod.start (else end), effectiveInstant, effectiveTiming.event[0],
///   then (defaulted) the effective time of a DiagnosticReport in the message that lists it as a result,
///   issued, meta.lastUpdated, the receipt time. Date-only times are midnight UTC (defaulted).
/// - `cancelled` and `entered-in-error` observations are not ingested (counted as ignored).
extension FHIRMapper {
    static let observationMapped: Set<String> = [
        "status", "category", "code", "subject", "encounter", "issued", "component", "effectiveDateTime",
        "effectivePeriod", "effectiveInstant", "effectiveTiming", "valueQuantity", "valueCodeableConcept",
        "valueString", "valueBoolean", "valueInteger", "valueTime", "valueDateTime",
    ]

    mutating func mapObservation(_ entry: FHIREntry, _ resource: FHIRJSON.Object, position: Int) {
        let type = "Observation"
        guard
            let patient = admittedPatient(
                entry, resource, type: type, skippedStatuses: ["cancelled", "entered-in-error"],
                mapped: Self.observationMapped)
        else { return }
        guard let time = observationTime(resource, position: position) else {
            unmapped(
                entry, type, .required, "Observation.effective[x] or issued is needed to time the event",
                at: entry.resourcePath + ".effective")
            return
        }
        let issued = FHIRTime.parse(resource["issued"] as? String)?.date
        let lastUpdated = FHIRTime.parse(FHIRJSON.object(resource["meta"])?["lastUpdated"] as? String)?.date
        let recorded = issued ?? lastUpdated ?? time
        let encounter = visitNumber(FHIRJSON.object(resource["encounter"]), from: entry)
        let isLab = FHIRJSON.objects(resource["category"]).contains { category in
            FHIRJSON.objects(category["coding"]).contains { $0["code"] as? String == "laboratory" }
        }
        let kind: EventKind = isLab ? .lab : .observation
        let components = FHIRJSON.objects(resource["component"])
        let hasOwnValue = resource.keys.contains { $0.hasPrefix("value") }
        var produced = 0
        if components.isEmpty || hasOwnValue {
            guard let code = Self.preferredCoding(FHIRJSON.object(resource["code"])) else {
                unmapped(
                    entry, type, .required, "Observation.code has no coding with a system and a code",
                    at: entry.resourcePath + ".code")
                return
            }
            emit(
                entry, sub: 0, type: type, patient: patient, kind: kind, code: code, value: value(of: resource, isComponent: false),
                effective: time, recorded: recorded, encounter: encounter)
            produced += 1
        }
        for (index, component) in components.enumerated() {
            guard index < Self.narrativePosition - 1, let code = Self.preferredCoding(FHIRJSON.object(component["code"]))
            else {
                coverage.element(type, "component", .ignored)
                continue
            }
            emit(
                entry, sub: index + 1, type: type, patient: patient, kind: kind, code: code,
                value: value(of: component, isComponent: true), effective: time, recorded: recorded, encounter: encounter)
            produced += 1
        }
        coverage.resource(type, produced > 0 ? .mapped : .ignored)
        narrativeNote(entry, resource, type: type, patient: patient, time: time, encounter: encounter)
    }

    private mutating func observationTime(_ resource: FHIRJSON.Object, position: Int) -> Date? {
        let type = "Observation"
        var parsed: FHIRTime.Parsed?
        if let text = resource["effectiveDateTime"] as? String {
            parsed = FHIRTime.parse(text)
        } else if let period = FHIRJSON.object(resource["effectivePeriod"]) {
            parsed = FHIRTime.parse(period["start"] as? String) ?? FHIRTime.parse(period["end"] as? String)
        } else if let text = resource["effectiveInstant"] as? String {
            parsed = FHIRTime.parse(text)
        } else if let timing = FHIRJSON.object(resource["effectiveTiming"]) {
            parsed = FHIRTime.parse(FHIRJSON.array(timing["event"]).first as? String)
        }
        if let parsed {
            if !parsed.isPrecise { coverage.element(type, "effective[x]", .defaulted) }
            return parsed.date
        }
        if let report = reportTimes[position] {
            coverage.element(type, "effective[x]", .defaulted)
            return report.date
        }
        let fallback =
            FHIRTime.parse(resource["issued"] as? String)?.date
            ?? FHIRTime.parse(FHIRJSON.object(resource["meta"])?["lastUpdated"] as? String)?.date ?? options.receivedAt
        if fallback != nil { coverage.element(type, "effective[x]", .defaulted) }
        return fallback
    }

    /// The event value of an Observation or component.
    private mutating func value(of object: FHIRJSON.Object, isComponent: Bool) -> EventValue? {
        let type = "Observation"
        if let quantity = FHIRJSON.object(object["valueQuantity"]) {
            guard let number = FHIRJSON.number(quantity["value"]), number.isFinite else {
                coverage.element(type, (isComponent ? "component." : "") + "valueQuantity.value", .ignored)
                return nil
            }
            if quantity["system"] as? String == Coding.System.ucum, let code = FHIRJSON.string(quantity["code"]) {
                return .quantity(value: number, unit: code)
            }
            coverage.element(type, (isComponent ? "component." : "") + "valueQuantity.code", .defaulted)
            return .quantity(
                value: number, unit: FHIRJSON.string(quantity["code"]) ?? FHIRJSON.string(quantity["unit"]) ?? "1")
        }
        if let concept = FHIRJSON.object(object["valueCodeableConcept"]) {
            if let coding = FHIRJSON.codings(concept).first {
                return .coded(Coding(system: coding.system, code: coding.code, display: coding.display))
            }
            return FHIRJSON.string(concept["text"]).map(EventValue.text)
        }
        if let text = FHIRJSON.string(object["valueString"]) { return .text(text) }
        if let integer = object["valueInteger"], let number = FHIRJSON.number(integer) {
            return .quantity(value: number, unit: "1")
        }
        if let flag = FHIRJSON.bool(object["valueBoolean"]) {
            return .coded(Coding(system: "http://terminology.hl7.org/CodeSystem/v2-0136", code: flag ? "Y" : "N"))
        }
        if let text = FHIRJSON.string(object["valueDateTime"]) ?? FHIRJSON.string(object["valueTime"]) {
            return .text(text)
        }
        // Top-level elements are counted by `coverage.elements(of:)`; component values are counted here.
        for key in ["valueRange", "valueRatio", "valueSampledData", "valuePeriod"] where isComponent && object[key] != nil {
            coverage.element(type, "component." + key, .ignored)
        }
        return nil
    }
}
