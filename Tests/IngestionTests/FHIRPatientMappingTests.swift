import Foundation
import Ingestion
import Testing
import VigilModelCore
import VigilPHI

/// Patient → `IdentifiedPatient` (identity and demographics) and the `update` event.
@Suite struct FHIRPatientMappingTests {
    static var patient: [String: Any] {
        [
            "resourceType": "Patient", "id": "p1", "meta": ["lastUpdated": "2024-05-01T08:00:00Z"],
            "identifier": [
                ["system": "https://github.com/synthetichealth/synthea", "value": "abc-123"],
                ["type": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR"]]],
                 "system": "http://hospital.example.org", "value": "MRN-42"],
                ["type": ["coding": [["system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "SS"]]],
                 "system": "http://hl7.org/fhir/sid/us-ssn", "value": "999-12-3456"],
            ],
            "name": [["use": "official", "family": "Rivera", "given": ["Ana", "Lucía"], "prefix": ["Ms."]]],
            "telecom": [["system": "phone", "value": "555-0100", "use": "home"], ["use": "work"]],
            "gender": "female", "birthDate": "1961-07",
            "address": [["line": ["1 Main St", "Apt 2"], "city": "Springfield", "state": "MA", "postalCode": "01101",
                         "country": "US"]],
        ]
    }

    static func acceptance(_ resource: [String: Any], options: FHIRIntake.Options = .init()) throws -> FHIRIntakeAcceptance {
        try #require(FHIRIntake.process(FHIRFixtures.data(resource), contentType: nil, options: options).acceptance)
    }

    @Test func demographicsAndTheMRIdentifierAsPrimary() throws {
        let event = try #require(try Self.acceptance(Self.patient).events.first)
        #expect(event.kind == .update)
        #expect(event.effectiveTime == ISO8601DateFormatter().date(from: "2024-05-01T08:00:00Z"))
        let patient = event.patient
        #expect(patient.assigningAuthority == "http://hospital.example.org")
        #expect(patient.patientID == "MRN-42")
        #expect(patient.identifiers == [
            PatientIdentifier(value: "abc-123", type: nil, assigningAuthority: "https://github.com/synthetichealth/synthea"),
            PatientIdentifier(value: "999-12-3456", type: "SS", assigningAuthority: "http://hl7.org/fhir/sid/us-ssn"),
        ])
        #expect(patient.names == [PersonName(family: "Rivera", given: ["Ana", "Lucía"], prefix: "Ms.", use: "official")])
        #expect(patient.birthDate == PartialDate(year: 1961, month: 7))
        #expect(patient.sex == .female)
        #expect(patient.addresses == [PostalAddress(lines: ["1 Main St", "Apt 2"], city: "Springfield", state: "MA", postalCode: "01101", country: "US")])
        #expect(patient.telecoms == [ContactPoint(system: .phone, value: "555-0100", use: "home")])
    }

    @Test func withoutIdentifiersTheLogicalIdKeysThePatient() throws {
        var resource = Self.patient
        resource["identifier"] = nil
        let acceptance = try Self.acceptance(resource)
        let patient = try #require(acceptance.events.first?.patient)
        #expect(patient.assigningAuthority == "fhir")
        #expect(patient.patientID == "Patient/p1")
        #expect(acceptance.coverage.elementCount("Patient", "identifier", .defaulted) == 1)
    }

    @Test func aPatientThatCannotBeKeyedIsRefused() throws {
        var resource = Self.patient
        resource["identifier"] = nil
        resource["id"] = nil
        let rejection = try #require(FHIRIntake.process(FHIRFixtures.data(resource), contentType: nil).rejection)
        #expect(rejection.outcome.issues.contains { $0.code == .required && $0.expression == ["Patient.identifier"] })
    }

    @Test func updateEventNeedsATime() throws {
        var resource = Self.patient
        resource["meta"] = nil
        #expect(try Self.acceptance(resource).events.isEmpty)
        let received = Date(timeIntervalSince1970: 1_717_200_000)
        let events = try Self.acceptance(resource, options: .init(receivedAt: received)).events
        #expect(events.map(\.effectiveTime) == [received])
        #expect(events.first?.code == Coding(system: "http://hl7.org/fhir/resource-types", code: "Patient", display: "Patient demographics"))
    }

    @Test func coverageCountsMappedAndIgnoredElements() throws {
        var resource = Self.patient
        resource["maritalStatus"] = ["text": "M"]
        let coverage = try Self.acceptance(resource).coverage
        for element in ["identifier", "name", "telecom", "gender", "birthDate", "address"] {
            #expect(coverage.elementCount("Patient", element, .mapped) == 1, "\(element)")
        }
        #expect(coverage.elementCount("Patient", "maritalStatus", .ignored) == 1)
        #expect(coverage.resourceCount("Patient", .mapped) == 1)
        #expect(coverage.lines.contains("Patient.maritalStatus ignored 1"))
    }
}
