import Foundation
import Ingestion
import Testing
import VigilHL7
import VigilModelCore
import VigilPHI

/// Agreement with the oracle: for every ADT A01/A02/A03/A04/A08 and ORU R01 sample with an expected bundle
/// (ms/MANIFEST.tsv), the canonical events agree with Microsoft FHIR-Converter's output on patient
/// identifier, encounter, event/observation code, value, unit and time. Expected values are read from the
/// expected JSON (and, for documented differences, from the raw sample text) — never from the mapper.
///
/// Documented differences (where Vigil deliberately differs from the converter):
/// - Units: Vigil respells units to UCUM (`unitRespellings`); the converter copies OBX-6.1. Compared as: the
///   converter's unit is the raw OBX-6.1 and the raw spelling is documented to mean Vigil's UCUM unit.
/// - OBX-5 repetitions (`60~120`): the converter makes components; Vigil maps the first repetition (coverage
///   note for the rest). Compared with component[0].
/// - OBX-14 absent: the converter leaves effective[x] empty; Vigil falls back to OBR-7, then MSH-7.
///   Compared with the raw OBR-7 (or MSH-7) of the sample.
/// - OBX-11 I/O/X/N (no result yet, order detail, cannot be obtained): the converter emits a value-less
///   Observation; Vigil emits no event (coverage note).
/// - Observations the converter derives from other segments (PDA death/autopsy flags, injury details; its
///   own `observation-code` system) are not OBX results and are not compared.
@Suite struct HL7MappingOracleTests {
    /// Raw OBX-6.1 spelling → the UCUM code it denotes (UCUM specification, case-sensitive codes).
    static let unitRespellings: [String: String] = [
        "beats/min": "/min",  // rate per minute
        "giga.l-1": "10*3/uL",  // 10^9/L = 10^3/uL
        "tera.l-1": "10*6/uL",  // 10^12/L = 10^6/uL
        "mg/dl": "mg/dL",  // UCUM's decilitre is `dL`
        "{cells}/uL": "/uL",  // a curly-brace annotation carries no unit meaning
    ]
    /// HL7 table 0004 patient class → v3 ActCode encounter class (HL7 v2-to-FHIR concept map).
    static let patientClassMap: [String: String] = ["I": "IMP", "O": "AMB", "E": "EMER", "P": "PRENC"]
    static let converterObservationCodes = "http://example.com/v2-to-fhir-converter/CodeSystem/observation-code"

    struct Agreement {
        var compared: [String: Int] = [:]
        var matched: [String: Int] = [:]
        /// Documented differences that held, by reason.
        var documented: [String: Int] = [:]
        var mismatches: [String] = []

        mutating func check(_ category: String, _ ok: Bool, _ detail: @autoclosure () -> String) {
            compared[category, default: 0] += 1
            if ok { matched[category, default: 0] += 1 } else { mismatches.append("\(category): \(detail())") }
        }

        mutating func documentedDifference(
            _ category: String, _ reason: String, _ ok: Bool, _ detail: @autoclosure () -> String
        ) {
            check(category, ok, detail())
            if ok { documented[reason, default: 0] += 1 }
        }

        mutating func merge(_ other: Agreement) {
            compared.merge(other.compared, uniquingKeysWith: +)
            matched.merge(other.matched, uniquingKeysWith: +)
            documented.merge(other.documented, uniquingKeysWith: +)
            mismatches += other.mismatches
        }
    }

    @Test(arguments: HL7MappingFixtures.oracleRows)
    func canonicalEventsAgreeWithTheExpectedBundle(_ row: HL7MappingFixtures.ManifestRow) throws {
        let agreement = try Self.agreement(row)
        #expect(agreement.mismatches.isEmpty, "\(row.file): \(agreement.mismatches)")
        #expect((agreement.compared["patient identifier"] ?? 0) > 0)
    }

    @Test func agreementFiguresOverTheOracleCorpus() throws {
        var total = Agreement()
        for row in HL7MappingFixtures.oracleRows { total.merge(try Self.agreement(row)) }
        let rows = HL7MappingFixtures.oracleRows
        #expect(rows.count == 20, "15 ADT A01/A02/A03/A04/A08 and 5 ORU R01 samples with an expected bundle")
        #expect(total.mismatches.isEmpty, "\(total.mismatches)")
        #expect((total.compared["observation value"] ?? 0) >= 50)
        var summary = "HL7 oracle agreement over \(rows.count) samples:"
        for category in total.compared.keys.sorted() {
            summary += " \(category) \(total.matched[category] ?? 0)/\(total.compared[category] ?? 0);"
        }
        summary += " documented differences:"
        for (reason, count) in total.documented.sorted(by: { $0.key < $1.key }) { summary += " [\(reason)] \(count);" }
        print(summary)
    }

    // MARK: Comparison

    static func agreement(_ row: HL7MappingFixtures.ManifestRow) throws -> Agreement {
        var a = Agreement()
        let message = try HL7Message(parsing: HL7MappingFixtures.sample(row.file))
        let mapping = try HL7Mapper().map(message)
        a.check("disposition", mapping.disposition == .mapped, "\(row.file) not mapped")
        let raw = HL7MappingFixtures.rawSegments(row.file)
        guard let first = mapping.events.first else { return a }

        // Patient identifiers: the primary and every further identifier appear in Patient.identifier.
        let expectedIDs = Set(
            HL7MappingFixtures.expectedResources(row, type: "Patient").flatMap { patient in
                (patient["identifier"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String }
            })
        a.check("patient identifier", expectedIDs.contains(first.patient.patientID), "primary \(first.patient.patientID)")
        for identifier in first.patient.identifiers {
            a.check("patient identifier", expectedIDs.contains(identifier.value), "identifier \(identifier.value)")
        }
        for event in mapping.events {
            a.check("patient identifier", event.patient == first.patient, "every event carries the one PID patient")
        }

        let encounters = HL7MappingFixtures.expectedResources(row, type: "Encounter")
        let encounterIDs = Set(
            encounters.flatMap { ($0["identifier"] as? [[String: Any]] ?? []).compactMap { $0["value"] as? String } }
                .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty })
        for event in mapping.events {
            if let encounter = event.encounter {
                a.check("encounter", encounterIDs.contains(encounter), "encounter \(encounter) not in \(encounterIDs)")
            } else {
                a.check("encounter", encounterIDs.isEmpty, "no encounter, expected one of \(encounterIDs)")
            }
        }
        if row.messageCode == "ADT" { compareADT(row, mapping, encounters.first, &a) }
        compareResults(row, mapping, raw, &a)
        compareNotes(row, mapping, &a)
        return a
    }

    static func compareADT(
        _ row: HL7MappingFixtures.ManifestRow, _ mapping: HL7Mapping, _ encounter: [String: Any]?, _ a: inout Agreement
    ) {
        guard let event = mapping.events.first(where: { $0.source.position == 0 }) else {
            a.check("event code", false, "no ADT event at position 0")
            return
        }
        let header = HL7MappingFixtures.expectedResources(row, type: "MessageHeader").first
        let eventCoding = header?["eventCoding"] as? [String: Any]
        a.check(
            "event code",
            event.code.code == eventCoding?["code"] as? String && event.code.system == eventCoding?["system"] as? String,
            "\(event.code) vs \(String(describing: eventCoding))")

        // The converter's Provenance for the event: occurredDateTime = EVN-6, recorded = EVN-2.
        let provenance = HL7MappingFixtures.expectedResources(row, type: "Provenance").first {
            ($0["activity"] as? [String: Any])?["text"] != nil
        }
        let period = encounter?["period"] as? [String: Any]
        let occurred = provenance?["occurredDateTime"] as? String
        let recorded = provenance?["recorded"] as? String
        let expectedTime: String? =
            switch event.kind {
            case .admission: period?["start"] as? String ?? occurred ?? recorded
            case .discharge: period?["end"] as? String ?? occurred ?? recorded
            default: occurred ?? recorded
            }
        if let expectedTime, let instant = HL7MappingTimes.fhir(expectedTime).instant {
            a.check("event time", HL7MappingTimes.same(event.effectiveTime, instant), "\(event.effectiveTime) vs \(expectedTime)")
        }
        if let recorded, let instant = HL7MappingTimes.fhir(recorded).instant {
            a.check("recorded time", HL7MappingTimes.same(event.recordedTime, instant), "\(event.recordedTime) vs \(recorded)")
        }
        if case .coded(let patientClass) = event.value {
            let expected = (encounter?["class"] as? [String: Any])?["code"] as? String
            a.check(
                "patient class", Self.patientClassMap[patientClass.code] == expected,
                "\(patientClass.code) vs \(expected ?? "nil")")
        }
    }

    static func compareResults(
        _ row: HL7MappingFixtures.ManifestRow, _ mapping: HL7Mapping, _ raw: [[String]], _ a: inout Agreement
    ) {
        let expected = HL7MappingFixtures.expectedResources(row, type: "Observation").filter {
            Self.firstCoding($0["code"])?["system"] as? String != Self.converterObservationCodes
        }
        var used = Set<Int>()
        for event in mapping.events where mapping.resultKeys[event.id] != nil {
            guard
                let k = expected.indices.first(where: {
                    !used.contains($0) && Self.firstCoding(expected[$0]["code"])?["code"] as? String == event.code.code
                })
            else {
                a.check("observation code", false, "no expected Observation coded \(event.code.code)")
                continue
            }
            used.insert(k)
            let observation = expected[k]
            let coding = Self.firstCoding(observation["code"])
            let expectedSystem = coding?["system"] as? String
            a.check(
                "observation code", expectedSystem != Coding.System.loinc || event.code.system == Coding.System.loinc,
                "\(event.code.code) system \(event.code.system)")
            let position = event.source.position
            let segment = position < raw.count ? raw[position] : []
            let rawCode = segment.count > 3 ? String(segment[3].split(separator: "^").first ?? "") : ""
            a.check(
                "observation position", segment.first == "OBX" && rawCode == event.code.code,
                "event at \(position) is not the OBX coded \(event.code.code)")
            compareValue(event, observation, segment, &a)
            compareTime(event, observation, raw, position, &a)
        }
        for k in expected.indices where !used.contains(k) {
            let status = Self.v2Status(expected[k])
            let code = Self.firstCoding(expected[k]["code"])?["code"] as? String ?? "?"
            a.documentedDifference(
                "unmatched observation", "OBX-11 I/O/X/N: converter emits a value-less Observation, Vigil no event",
                ["I", "O", "X", "N"].contains(status ?? ""), "expected Observation \(code) (status \(status ?? "nil")) not produced")
        }
    }

    static func compareValue(_ event: IdentifiedEvent, _ observation: [String: Any], _ segment: [String], _ a: inout Agreement) {
        switch event.value {
        case .quantity(let value, let unit):
            var quantity = observation["valueQuantity"] as? [String: Any]
            var viaComponent = false
            if quantity == nil, let components = observation["component"] as? [[String: Any]] {
                quantity = components.first?["valueQuantity"] as? [String: Any]
                viaComponent = true
            }
            guard let quantity, let expected = (quantity["value"] as? NSNumber)?.doubleValue else {
                a.check("observation value", false, "\(event.code.code): no expected valueQuantity")
                return
            }
            if viaComponent {
                a.documentedDifference(
                    "observation value", "OBX-5 repetitions: converter components, Vigil the first repetition",
                    abs(value - expected) < 1e-9, "\(event.code.code): \(value) vs component \(expected)")
            } else {
                a.check("observation value", abs(value - expected) < 1e-9, "\(event.code.code): \(value) vs \(expected)")
            }
            let expectedUnit = quantity["code"] as? String ?? quantity["unit"] as? String
            if expectedUnit == unit {
                a.check("observation unit", true, "")
            } else {
                let rawUnit = segment.count > 6 ? String(segment[6].split(separator: "^").first ?? "") : ""
                a.documentedDifference(
                    "observation unit", "UCUM respelling \(rawUnit) -> \(unit)",
                    expectedUnit == rawUnit && Self.unitRespellings[rawUnit] == unit,
                    "\(event.code.code): \(unit) vs \(expectedUnit ?? "nil") (raw \(rawUnit))")
            }
        case .text(let text):
            a.check(
                "observation value", observation["valueString"] as? String == text,
                "\(event.code.code): text differs")
        case .coded(let coding):
            let expected = Self.firstCoding(observation["valueCodeableConcept"])
            a.check(
                "observation value",
                expected?["code"] as? String == coding.code && expected?["system"] as? String == coding.system,
                "\(event.code.code): \(coding) vs \(String(describing: expected))")
        case nil:
            a.check("observation value", false, "\(event.code.code): no value")
        }
    }

    static func compareTime(
        _ event: IdentifiedEvent, _ observation: [String: Any], _ raw: [[String]], _ position: Int, _ a: inout Agreement
    ) {
        if let text = observation["effectiveDateTime"] as? String {
            let parsed = HL7MappingTimes.fhir(text)
            if let day = parsed.dateOnly {
                // A date-only OBX-14 is the start of that day at the assumed offset (UTC by default).
                a.check("observation time", HL7MappingTimes.utcDay(event.effectiveTime) == day, "\(event.effectiveTime) vs \(day)")
            } else if let instant = parsed.instant {
                a.check("observation time", HL7MappingTimes.same(event.effectiveTime, instant), "\(event.effectiveTime) vs \(text)")
            }
            return
        }
        let obr = raw[..<min(position, raw.count)].last { $0.first == "OBR" }
        let obr7 = obr.flatMap { $0.count > 7 && !$0[7].isEmpty ? $0[7] : nil }
        let msh7 = raw.first.flatMap { $0.count > 6 ? $0[6] : nil }
        let fallback = (obr7 ?? msh7).flatMap(HL7MappingTimes.hl7)
        a.documentedDifference(
            "observation time", "OBX-14 absent: converter no effective[x], Vigil OBR-7 then MSH-7",
            fallback.map { HL7MappingTimes.same(event.effectiveTime, $0) } ?? false,
            "\(event.code.code): \(event.effectiveTime) vs raw OBR-7/MSH-7")
    }

    /// Every line of a comment note appears in a `note` of the expected bundle.
    static func compareNotes(_ row: HL7MappingFixtures.ManifestRow, _ mapping: HL7Mapping, _ a: inout Agreement) {
        var texts: [String] = []
        for type in ["ServiceRequest", "DiagnosticReport", "Observation", "Specimen"] {
            for resource in HL7MappingFixtures.expectedResources(row, type: type) {
                texts += (resource["note"] as? [[String: Any]] ?? []).compactMap { $0["text"] as? String }
            }
        }
        for event in mapping.events where event.kind == .note && mapping.resultKeys[event.id] == nil {
            guard case .text(let text) = event.value else { continue }
            for line in text.split(separator: "\n") {
                a.check("note text", texts.contains { $0.contains(line) }, "comment line not in any expected note")
            }
        }
    }

    static func firstCoding(_ concept: Any?) -> [String: Any]? {
        ((concept as? [String: Any])?["coding"] as? [[String: Any]])?.first
    }

    /// The v2 result status the converter keeps in an extension (OBX-11).
    static func v2Status(_ observation: [String: Any]) -> String? {
        for ext in observation["extension"] as? [[String: Any]] ?? [] {
            if let concept = ext["valueCodeableConcept"] as? [String: Any],
                let coding = firstCoding(concept), coding["system"] as? String == "http://terminology.hl7.org/CodeSystem/v2-0085"
            {
                return coding["code"] as? String
            }
        }
        return nil
    }
}
