import Foundation
import Ingestion
import Testing
import VigilModelCore
import VigilPHI

/// Encounter → admission (period.start) and discharge (period.end of a finished encounter).
@Suite struct FHIREncounterMappingTests {
    static func encounter(status: String, period: [String: Any]?) -> [String: Any] {
        var encounter: [String: Any] = [
            "resourceType": "Encounter", "id": "e1", "status": status,
            "identifier": [["system": "urn:oid:1.2.3.4", "value": "V-1001"]],
            "class": ["system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP", "display": "inpatient"],
            "type": [["coding": [["system": "http://snomed.info/sct", "code": "183452005", "display": "Emergency hospital admission"]]]],
            "subject": ["reference": "Patient/p1"],
        ]
        if let period { encounter["period"] = period }
        return encounter
    }

    static func time(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static func acceptance(_ resource: [String: Any]) throws -> FHIRIntakeAcceptance {
        try #require(FHIRIntake.process(FHIRFixtures.data(resource), contentType: nil).acceptance)
    }

    @Test func finishedEncounterYieldsAdmissionAndDischarge() throws {
        let events = try Self.acceptance(Self.encounter(
            status: "finished", period: ["start": "2024-05-01T08:00:00Z", "end": "2024-05-03T16:30:00+01:00"])).events
        #expect(events.map(\.kind) == [.admission, .discharge])
        #expect(events.map(\.effectiveTime) == [Self.time("2024-05-01T08:00:00Z"), Self.time("2024-05-03T15:30:00Z")])
        #expect(Set(events.map(\.code)) == [Coding(system: "http://terminology.hl7.org/CodeSystem/v3-ActCode", code: "IMP", display: "inpatient")])
        #expect(events.allSatisfy { $0.value == .coded(Coding(system: "http://snomed.info/sct", code: "183452005", display: "Emergency hospital admission")) })
        #expect(events.allSatisfy { $0.encounter == "V-1001" })
        #expect(events.map(\.source.position) == [0, 1])
    }

    @Test func inProgressEncounterYieldsOnlyAdmission() throws {
        let events = try Self.acceptance(Self.encounter(
            status: "in-progress", period: ["start": "2024-05-01T08:00:00Z", "end": "2024-05-03T08:00:00Z"])).events
        #expect(events.map(\.kind) == [.admission])
    }

    @Test func encounterWithoutPeriodYieldsNothingButAWarning() throws {
        let acceptance = try Self.acceptance(Self.encounter(status: "in-progress", period: nil))
        #expect(acceptance.events.isEmpty)
        #expect(acceptance.outcome.issues.contains { $0.severity == .warning && $0.expression == ["Encounter.period"] })
        #expect(acceptance.coverage.resourceCount("Encounter", .ignored) == 1)
    }

    @Test(arguments: ["planned", "cancelled", "entered-in-error"])
    func encountersThatDidNotHappenAreNotIngested(status: String) throws {
        let acceptance = try Self.acceptance(Self.encounter(status: status, period: ["start": "2024-05-01T08:00:00Z"]))
        #expect(acceptance.events.isEmpty)
    }
}
