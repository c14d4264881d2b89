import Foundation
import Ingestion
import Testing

/// Element-level validation of the resources Vigil maps.
@Suite struct FHIRValidationTests {
    static var patient: [String: Any] {
        [
        "resourceType": "Patient", "id": "p1",
        "identifier": [["system": "urn:oid:1.2.3", "value": "MRN1"]],
        "name": [["family": "Doe", "given": ["Jane"]]], "gender": "female", "birthDate": "1970-03-14",
        ]
    }

    static var observation: [String: Any] {
        [
        "resourceType": "Observation", "id": "o1", "status": "final",
        "code": ["coding": [["system": "http://loinc.org", "code": "8867-4"]]],
        "subject": ["reference": "Patient/p1"], "effectiveDateTime": "2024-05-01T12:00:00Z",
        "valueQuantity": ["value": 72, "system": "http://unitsofmeasure.org", "code": "/min"],
        ]
    }

    static func process(_ object: [String: Any]) -> FHIRIntakeResult {
        FHIRIntake.process(FHIRFixtures.data(object), contentType: "application/fhir+json")
    }

    /// The error issues of a rejection (fails the test when accepted).
    static func errors(_ object: [String: Any], sourceLocation: SourceLocation = #_sourceLocation) -> [FHIROperationOutcome.Issue] {
        guard let rejection = process(object).rejection else {
            Issue.record("accepted", sourceLocation: sourceLocation)
            return []
        }
        #expect(rejection.httpStatus == 422, sourceLocation: sourceLocation)
        return rejection.outcome.issues.filter(\.isError)
    }

    static func with(_ base: [String: Any], _ changes: [String: Any?]) -> [String: Any] {
        var copy = base
        for (key, value) in changes { copy[key] = value }
        return copy
    }

    @Test func validResourcesPass() {
        #expect(Self.process(Self.patient).acceptance != nil)
        #expect(Self.process(Self.observation).acceptance != nil)
    }

    @Test func unknownElementsAreStructureErrorsAtTheirPath() {
        let errors = Self.errors(Self.with(Self.patient, ["nickname": "x"]))
        #expect(errors.contains { $0.code == .structure && $0.expression == ["Patient.nickname"] })
        let nested = Self.errors(Self.with(Self.patient, ["name": [["family": "Doe", "middle": "Q"]]]))
        #expect(nested.contains { $0.expression == ["Patient.name[0].middle"] })
        let inQuantity = Self.errors(
            Self.with(Self.observation, ["valueQuantity": ["value": 1, "units": "kg"]]))
        #expect(inQuantity.contains { $0.expression == ["Observation.valueQuantity.units"] })
    }

    @Test func capitalisedUnknownKeysAreNotEchoed() {
        let errors = Self.errors(Self.with(Self.patient, ["Smithson": "x"]))
        #expect(errors.contains { $0.expression == ["Patient.(unnamed)"] })
        #expect(!errors.contains { $0.diagnostics.contains("Smithson") })
    }

    @Test func primitiveExtensionsAreAllowedOnlyOnPrimitives() {
        let birthTime: [String: Any] = [
            "extension": [["url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime",
                "valueDateTime": "1970-03-14T10:00:00Z"]],
        ]
        #expect(Self.process(Self.with(Self.patient, ["_birthDate": birthTime])).acceptance != nil)
        #expect(Self.process(Self.with(Self.patient, ["_gender": birthTime, "gender": nil])).acceptance != nil)
        #expect(Self.errors(Self.with(Self.patient, ["_name": birthTime])).contains { $0.code == .structure })
        #expect(Self.errors(Self.with(Self.patient, ["_birthDate": ["colour": "red"]])).contains {
            $0.expression == ["Patient.birthDate.colour"]
        })
        // Arrays of primitives: `_given` aligns with `given`, null where an item has no extension.
        let name: [String: Any] = ["given": ["A", "B"], "_given": [NSNull(), ["id": "g2"]]]
        #expect(Self.process(Self.with(Self.patient, ["name": [name]])).acceptance != nil)
    }

    @Test func choiceElementsAllowOneTypeOnly() {
        let errors = Self.errors(Self.with(Self.observation, ["valueString": "x"]))
        #expect(errors.contains { $0.expression == ["Observation.value"] })
        #expect(Self.errors(Self.with(Self.observation, ["valueText": "x"])).contains {
            $0.expression == ["Observation.valueText"]
        })
    }

    @Test func decimalsMustBeNumbersWithinFHIRBounds() {
        func quantity(_ value: Any) -> [String: Any] {
            Self.with(Self.observation, ["valueQuantity": ["value": value, "code": "mmol/L"]])
        }
        #expect(Self.process(quantity(NSDecimalNumber(string: "12345678901234567.5"))).acceptance != nil)
        #expect(Self.process(quantity(189.34136216482673)).acceptance != nil)
        let tooLong = Self.errors(quantity(NSDecimalNumber(string: "1234567890123456789.0123456789")))
        #expect(tooLong.contains { $0.code == .value && $0.expression == ["Observation.valueQuantity.value"] })
        #expect(Self.errors(quantity("72")).contains { $0.code == .structure })
        #expect(Self.errors(quantity(true)).contains { $0.code == .structure })
    }

    @Test func primitiveTypesAndFormatsAreChecked() {
        #expect(Self.errors(Self.with(Self.patient, ["birthDate": "1970-13-01"])).contains {
            $0.code == .value && $0.expression == ["Patient.birthDate"]
        })
        #expect(Self.errors(Self.with(Self.patient, ["birthDate": 1970])).contains { $0.code == .structure })
        #expect(Self.errors(Self.with(Self.patient, ["active": "true"])).contains { $0.expression == ["Patient.active"] })
        #expect(Self.errors(Self.with(Self.patient, ["id": "not valid!"])).contains { $0.expression == ["Patient.id"] })
        #expect(Self.errors(Self.with(Self.observation, ["issued": "2024-05-01"])).contains {
            $0.expression == ["Observation.issued"]
        })
        #expect(Self.errors(Self.with(Self.patient, ["multipleBirthInteger": 1.5])).contains {
            $0.expression == ["Patient.multipleBirthInteger"]
        })
    }

    @Test func requiredBindingsListTheAllowedCodes() throws {
        let errors = Self.errors(Self.with(Self.patient, ["gender": "F"]))
        let issue = try #require(errors.first { $0.expression == ["Patient.gender"] })
        #expect(issue.code == .codeInvalid)
        #expect(issue.diagnostics.contains("male, female, other, unknown"))
        #expect(Self.errors(Self.with(Self.observation, ["status": "done"])).contains {
            $0.code == .codeInvalid && $0.expression == ["Observation.status"]
        })
        #expect(Self.errors(Self.with(Self.patient, ["telecom": [["system": "telex", "value": "1"]]])).contains {
            $0.expression == ["Patient.telecom[0].system"]
        })
    }

    @Test func requiredElementsAreRequired() {
        #expect(Self.errors(Self.with(Self.observation, ["code": nil])).contains {
            $0.code == .required && $0.expression == ["Observation.code"]
        })
        #expect(Self.errors(Self.with(Self.observation, ["status": nil])).contains { $0.expression == ["Observation.status"] })
        let encounter: [String: Any] = ["resourceType": "Encounter", "status": "finished"]
        #expect(Self.errors(encounter).contains { $0.expression == ["Encounter.class"] })
        let component = Self.with(Self.observation, ["component": [["valueString": "x"]]])
        #expect(Self.errors(component).contains { $0.expression == ["Observation.component[0].code"] })
    }

    @Test func jsonShapesAreChecked() {
        #expect(Self.errors(Self.with(Self.patient, ["identifier": []])).contains { $0.expression == ["Patient.identifier"] })
        #expect(Self.errors(Self.with(Self.patient, ["gender": NSNull()])).contains { $0.code == .structure })
        #expect(Self.errors(Self.with(Self.patient, ["birthDate": ["1970"]])).contains { $0.code == .structure })
        #expect(Self.errors(Self.with(Self.patient, ["maritalStatus": "M"])).contains { $0.code == .structure })
        #expect(Self.errors(Self.with(Self.patient, ["maritalStatus": [:] as [String: Any]])).contains {
            $0.expression == ["Patient.maritalStatus"]
        })
    }

    @Test func toleratedDeviationsAreWarnings() throws {
        // Pre-R4 single interpretation, an empty string, a zone-less time, a narrative without div.
        let tolerated = Self.with(
            Self.observation,
            [
                "interpretation": ["text": "high"], "text": ["status": "generated"],
                "meta": ["lastUpdated": "2024-05-01T12:00:00"], "identifier": [["system": "", "value": "1"]],
            ])
        let acceptance = try #require(Self.process(tolerated).acceptance)
        let warnings = acceptance.outcome.issues.filter { $0.severity == .warning }.flatMap(\.expression)
        for expected in [
            "Observation.interpretation", "Observation.text.div", "Observation.meta.lastUpdated",
            "Observation.identifier[0].system",
        ] {
            #expect(warnings.contains(expected))
        }
    }

    @Test func referencesMustBeValidLiteralReferences() {
        for reference in ["Patientt/1", "Patient/", "patient/1", "Patient/a b", "urn:uuid:1234", "Patientt?identifier=1"] {
            let errors = Self.errors(Self.with(Self.observation, ["subject": ["reference": reference]]))
            #expect(errors.contains { $0.expression == ["Observation.subject.reference"] }, "\(reference)")
        }
        for reference in [
            "Patient/1", "Patient/1/_history/2", "https://x.org/fhir/Patient/1", "urn:uuid:6fc92493-6bef-402a-bbba-d949f3812cc8",
            "urn:oid:1.2.3.4", "Patient?identifier=a|b",
        ] {
            #expect(Self.process(Self.with(Self.observation, ["subject": ["reference": reference]])).acceptance != nil)
        }
    }

    @Test func usCoreRulesApplyOnlyToPatientsClaimingTheProfile() {
        let plain = Self.with(Self.patient, ["gender": nil, "name": nil])
        #expect(Self.process(plain).acceptance != nil)
        let claiming = Self.with(
            plain,
            ["meta": ["profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient|3.1.1"]],
             "identifier": [["value": "MRN1"]]])
        let expressions = Self.errors(claiming).flatMap(\.expression)
        #expect(Set(expressions) == ["Patient.gender", "Patient.name", "Patient.identifier[0].system"])
    }

    @Test func containedResourcesAreValidated() {
        let contained = Self.with(
            Self.observation,
            ["contained": [["resourceType": "Patient", "id": "c1", "gender": "x"]], "subject": ["reference": "#c1"]])
        #expect(Self.errors(contained).contains { $0.expression == ["Observation.contained[0].gender"] })
    }
}
