import Foundation
import Ingestion
import Testing
import VigilModelCore
import VigilPHI

/// Observation → observation/lab events: codes, values, units, times, components, patient resolution.
@Suite struct FHIRObservationMappingTests {
    static let patientURL = "urn:uuid:6fc92493-6bef-402a-bbba-d949f3812cc8"

    static func observation(_ extra: [String: Any], code: String = "8867-4") -> [String: Any] {
        var observation: [String: Any] = [
            "resourceType": "Observation", "status": "final",
            "code": ["coding": [["system": "http://snomed.info/sct", "code": "364075005"], ["system": "http://loinc.org", "code": code]]],
            "subject": ["reference": "Patient/p1"], "effectiveDateTime": "2024-05-01T12:00:00+02:00",
        ]
        for (key, value) in extra { observation[key] = value }
        return observation
    }

    static func events(_ resource: [String: Any], options: FHIRIntake.Options = .init()) throws -> [IdentifiedEvent] {
        let result = FHIRIntake.process(FHIRFixtures.data(resource), contentType: nil, options: options)
        return try #require(result.acceptance, "\(result.rejection?.outcome.issues.map(\.diagnostics) ?? [])").events
    }

    static func time(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    @Test func quantityWithUCUMUnitAndLOINCCode() throws {
        let events = try Self.events(Self.observation([
            "valueQuantity": ["value": 72.5, "unit": "beats/minute", "system": "http://unitsofmeasure.org", "code": "/min"],
            "issued": "2024-05-01T10:05:00Z",
        ]))
        let event = try #require(events.first)
        #expect(events.count == 1)
        #expect(event.kind == .observation)
        #expect(event.code == Coding(system: "http://loinc.org", code: "8867-4"))
        #expect(event.value == .quantity(value: 72.5, unit: "/min"))
        #expect(event.effectiveTime == Self.time("2024-05-01T10:00:00Z"))
        #expect(event.recordedTime == Self.time("2024-05-01T10:05:00Z"))
    }

    @Test func laboratoryCategoryMakesALabEvent() throws {
        let category: [[String: Any]] = [["coding": [[
            "system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory",
        ]]]]
        let events = try Self.events(Self.observation(["category": category, "valueQuantity": ["value": 1.2, "system": "http://unitsofmeasure.org", "code": "mg/dL"]], code: "2160-0"))
        #expect(events.map(\.kind) == [.lab])
    }

    @Test func otherValueTypes() throws {
        let coded: [String: Any] = ["coding": [["system": "http://snomed.info/sct", "code": "260385009", "display": "Negative"]]]
        #expect(try Self.events(Self.observation(["valueCodeableConcept": coded])).first?.value
            == .coded(Coding(system: "http://snomed.info/sct", code: "260385009", display: "Negative")))
        #expect(try Self.events(Self.observation(["valueCodeableConcept": ["text": "negative"]])).first?.value == .text("negative"))
        #expect(try Self.events(Self.observation(["valueString": "clear"])).first?.value == .text("clear"))
        #expect(try Self.events(Self.observation(["valueInteger": 9])).first?.value == .quantity(value: 9, unit: "1"))
        #expect(try Self.events(Self.observation(["valueBoolean": true])).first?.value
            == .coded(Coding(system: "http://terminology.hl7.org/CodeSystem/v2-0136", code: "Y")))
        let range: [String: Any] = ["low": ["value": 1], "high": ["value": 2]]
        let acceptance = try #require(FHIRIntake.process(FHIRFixtures.data(Self.observation(["valueRange": range])), contentType: nil).acceptance)
        #expect(acceptance.events.first?.value == nil)
        #expect(acceptance.coverage.elementCount("Observation", "valueRange", .ignored) == 1)
    }

    @Test func nonUCUMUnitsPassThroughAsDefaulted() throws {
        let resource = Self.observation(["valueQuantity": ["value": 98.6, "unit": "degF"]])
        let acceptance = try #require(FHIRIntake.process(FHIRFixtures.data(resource), contentType: nil).acceptance)
        #expect(acceptance.events.first?.value == .quantity(value: 98.6, unit: "degF"))
        #expect(acceptance.coverage.elementCount("Observation", "valueQuantity.code", .defaulted) == 1)
    }

    @Test func bloodPressureComponentsBecomeOneEventEach() throws {
        func component(_ code: String, _ value: Double) -> [String: Any] {
            ["code": ["coding": [["system": "http://loinc.org", "code": code]]],
             "valueQuantity": ["value": value, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"]]
        }
        let events = try Self.events(Self.observation(
            ["component": [component("8480-6", 120), component("8462-4", 80)]], code: "85354-9"))
        #expect(events.map(\.code.code) == ["8480-6", "8462-4"])
        #expect(events.map(\.value) == [.quantity(value: 120, unit: "mm[Hg]"), .quantity(value: 80, unit: "mm[Hg]")])
        #expect(events.map(\.source.position) == [1, 2])
        #expect(Set(events.map(\.effectiveTime)) == [Self.time("2024-05-01T10:00:00Z")])
    }

    @Test func effectiveTimeAlternatives() throws {
        var withPeriod = Self.observation(["effectivePeriod": ["start": "2024-05-01T08:00:00Z", "end": "2024-05-01T09:00:00Z"]])
        withPeriod["effectiveDateTime"] = nil
        let period = try Self.events(withPeriod)
        #expect(period.first?.effectiveTime == Self.time("2024-05-01T08:00:00Z"))
        var issuedOnly = Self.observation(["issued": "2024-05-02T07:00:00Z"])
        issuedOnly["effectiveDateTime"] = nil
        #expect(try Self.events(issuedOnly).first?.effectiveTime == Self.time("2024-05-02T07:00:00Z"))
        let dateOnly = try #require(FHIRIntake.process(FHIRFixtures.data(Self.observation(["effectiveDateTime": "2016-03-28"])), contentType: nil).acceptance)
        #expect(dateOnly.events.first?.effectiveTime == Self.time("2016-03-28T00:00:00Z"))
        #expect(dateOnly.coverage.elementCount("Observation", "effective[x]", .defaulted) == 1)
    }

    @Test func observationWithoutAnyTimeIsRefusedAloneButUsesTheReceiptTimeWhenGiven() throws {
        var untimed = Self.observation([:])
        untimed["effectiveDateTime"] = nil
        let rejection = try #require(FHIRIntake.process(FHIRFixtures.data(untimed), contentType: nil).rejection)
        #expect(rejection.outcome.issues.contains { $0.expression == ["Observation.effective"] })
        let received = Self.time("2024-06-01T00:00:00Z")
        #expect(try Self.events(untimed, options: .init(receivedAt: received)).first?.effectiveTime == received)
    }

    @Test func enteredInErrorAndCancelledAreNotIngested() throws {
        for status in ["entered-in-error", "cancelled"] {
            let acceptance = try #require(FHIRIntake.process(FHIRFixtures.data(Self.observation(["status": status])), contentType: nil).acceptance)
            #expect(acceptance.events.isEmpty)
            #expect(acceptance.coverage.resourceCount("Observation", .ignored) == 1)
        }
    }

    @Test func patientKnownOnlyByReference() throws {
        let relative = try #require(try Self.events(Self.observation([:])).first)
        #expect(relative.patient.assigningAuthority == "fhir")
        #expect(relative.patient.patientID == "Patient/p1")
        let custom = try #require(try Self.events(Self.observation([:]), options: .init(sourceSystem: "fhir:epic-prod")).first)
        #expect(custom.patient.assigningAuthority == "fhir:epic-prod")
        #expect(custom.source.system == "fhir:epic-prod")
        let absolute = try #require(try Self.events(Self.observation(["subject": ["reference": "https://x.org/fhir/Patient/9"]])).first)
        #expect(absolute.patient.assigningAuthority == "urn:ietf:rfc:3986")
        #expect(absolute.patient.patientID == "https://x.org/fhir/Patient/9")
        let logical = try #require(try Self.events(Self.observation(["subject": ["identifier": ["system": "urn:oid:1.2", "value": "M7"]]])).first)
        #expect(logical.patient.assigningAuthority == "urn:oid:1.2")
        #expect(logical.patient.patientID == "M7")
    }

    @Test func containedPatientIsResolved() throws {
        let contained: [[String: Any]] = [["resourceType": "Patient", "id": "newborn",
            "identifier": [["system": "http://acme.org/mrns", "value": "12345"]], "gender": "male"]]
        let event = try #require(try Self.events(Self.observation(["contained": contained, "subject": ["reference": "#newborn"]])).first)
        #expect(event.patient.patientID == "12345")
        #expect(event.patient.sex == .male)
    }

    @Test func unresolvablePatientRefusesASingleObservation() throws {
        let cases: [(Any?, String)] = [
            (nil, "Observation.subject"),
            (["reference": "Group/g1"], "Observation.subject.reference"),
            (["reference": "#missing"], "Observation.subject.reference"),
            (["reference": "Patient?name=smith"], "Observation.subject.reference"),
        ]
        for (subject, expression) in cases {
            var resource = Self.observation([:])
            resource["subject"] = subject
            let rejection = try #require(FHIRIntake.process(FHIRFixtures.data(resource), contentType: nil).rejection)
            #expect(rejection.httpStatus == 422)
            #expect(rejection.outcome.issues.contains { $0.isError && $0.expression == [expression] }, "\(expression)")
        }
    }

    @Test func unresolvablePatientInABundleIsAWarningAndTheRestStands() throws {
        var orphan = Self.observation(["valueString": "x"])
        orphan["subject"] = ["reference": "Group/g1"]
        let bundle: [String: Any] = ["resourceType": "Bundle", "type": "collection", "entry": [
            ["resource": orphan], ["resource": Self.observation(["valueString": "y"])],
        ]]
        let acceptance = try #require(FHIRIntake.process(FHIRFixtures.data(bundle), contentType: nil).acceptance)
        #expect(acceptance.events.map(\.value) == [.text("y")])
        #expect(acceptance.outcome.issues.contains { $0.severity == .warning && $0.expression == ["Bundle.entry[0].resource.subject.reference"] })
        #expect(acceptance.coverage.resourceCount("Observation", .ignored) == 1)
    }

    @Test func referencesResolveWithinTheBundle() throws {
        let patient: [String: Any] = ["resourceType": "Patient", "id": "p1", "identifier": [["system": "urn:oid:9", "value": "MRN9"]], "birthDate": "1950"]
        let encounter: [String: Any] = ["resourceType": "Encounter", "id": "e1", "status": "in-progress",
            "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"],
            "identifier": [["value": "VISIT-7"]], "subject": ["reference": Self.patientURL]]
        let byURN = Self.observation(["subject": ["reference": Self.patientURL], "encounter": ["reference": "Encounter/e1"]])
        let byConditional = Self.observation(["subject": ["reference": "Patient?identifier=urn:oid:9|MRN9"]])
        let bundle: [String: Any] = ["resourceType": "Bundle", "type": "transaction", "entry": [
            ["fullUrl": Self.patientURL, "resource": patient, "request": ["method": "POST", "url": "Patient"]],
            ["resource": encounter, "request": ["method": "PUT", "url": "Encounter/e1"]],
            ["resource": byURN, "request": ["method": "POST", "url": "Observation"]],
            ["resource": byConditional, "request": ["method": "POST", "url": "Observation"]],
        ]]
        let events = try #require(FHIRIntake.process(FHIRFixtures.data(bundle), contentType: nil).acceptance).events
            .filter { $0.kind == .observation }
        #expect(events.count == 2)
        for event in events {
            #expect(event.patient.patientID == "MRN9")
            #expect(event.patient.birthDate == PartialDate(year: 1950))
        }
        #expect(events.first?.encounter == "VISIT-7")
    }

    @Test func diagnosticReportTimesItsUntimedResults() throws {
        var result = Self.observation(["valueQuantity": ["value": 5.9, "system": "http://unitsofmeasure.org", "code": "10*12/L"]])
        result["effectiveDateTime"] = nil
        let report: [String: Any] = ["resourceType": "DiagnosticReport", "status": "final", "code": ["text": "CBC"],
            "effectiveDateTime": "2011-03-04T08:30:00+11:00", "result": [["reference": "Observation/r1"]]]
        result["id"] = "r1"
        let bundle: [String: Any] = ["resourceType": "Bundle", "type": "collection", "entry": [
            ["fullUrl": "https://x.org/base/DiagnosticReport/101", "resource": report.merging(["id": "101"]) { $1 }],
            ["fullUrl": "https://x.org/base/Observation/r1", "resource": result],
        ]]
        let event = try #require(FHIRIntake.process(FHIRFixtures.data(bundle), contentType: nil).acceptance?.events.first)
        #expect(event.effectiveTime == Self.time("2011-03-03T21:30:00Z"))
    }
}
