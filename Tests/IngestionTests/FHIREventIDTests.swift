import Foundation
import Ingestion
import Testing
import VigilModelCore
import VigilPHI

/// Event ids derive from the message control id and the position, so a resend yields the same ids.
@Suite struct FHIREventIDTests {
    static func bundle(id: String?, identifier: [String: Any]? = nil, values: [Double]) -> [UInt8] {
        var bundle: [String: Any] = [
            "resourceType": "Bundle", "type": "collection",
            "entry": values.map { value -> [String: Any] in
                ["resource": [
                    "resourceType": "Observation", "status": "final",
                    "code": ["coding": [["system": "http://loinc.org", "code": "8867-4"]]],
                    "subject": ["reference": "Patient/p1"], "effectiveDateTime": "2024-05-01T12:00:00Z",
                    "valueQuantity": ["value": value, "system": "http://unitsofmeasure.org", "code": "/min"],
                ]]
            },
        ]
        if let id { bundle["id"] = id }
        if let identifier { bundle["identifier"] = identifier }
        return FHIRFixtures.data(bundle)
    }

    static func acceptance(_ body: [UInt8]) throws -> FHIRIntakeAcceptance {
        try #require(FHIRIntake.process(body, contentType: nil).acceptance)
    }

    @Test func idsFollowFromBundleIdAndEntryPosition() throws {
        let acceptance = try Self.acceptance(Self.bundle(id: "b-77", values: [60, 61, 62]))
        #expect(acceptance.messageControlID == "b-77")
        let expected = (0..<3).map { EventID.derive(system: "fhir", messageControlID: "b-77", position: $0 * 1000) }
        #expect(acceptance.events.map(\.id) == expected)
    }

    @Test func sameInputTwiceGivesIdenticalEvents() throws {
        let body = Self.bundle(id: nil, values: [60, 61])
        let first = try Self.acceptance(body)
        let second = try Self.acceptance(body)
        #expect(first.events == second.events)
        #expect(first.messageControlID == "sha256:" + HexDigest.sha256(of: body).hex)
    }

    @Test func identifierBeatsIdAndSingleResourcesUseTypeAndId() throws {
        let withIdentifier = try Self.acceptance(
            Self.bundle(id: "b-1", identifier: ["system": "urn:ietf:rfc:3986", "value": "urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0"], values: [60]))
        #expect(withIdentifier.messageControlID == "urn:ietf:rfc:3986|urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0")
        let observation: [String: Any] = [
            "resourceType": "Observation", "id": "o-5", "status": "final",
            "code": ["coding": [["system": "http://loinc.org", "code": "8867-4"]]],
            "subject": ["reference": "Patient/p1"], "effectiveDateTime": "2024-05-01T12:00:00Z",
        ]
        #expect(try Self.acceptance(FHIRFixtures.data(observation)).messageControlID == "Observation/o-5")
    }

    @Test func differentMessagesGetDifferentIds() throws {
        let a = try Self.acceptance(Self.bundle(id: "b-1", values: [60]))
        let b = try Self.acceptance(Self.bundle(id: "b-2", values: [60]))
        let c = try Self.acceptance(Self.bundle(id: nil, values: [61]))
        #expect(Set(a.events.map(\.id) + b.events.map(\.id) + c.events.map(\.id)).count == 3)
    }

    @Test func rekeyingRederivesIdsFromTheNewControlID() throws {
        let acceptance = try Self.acceptance(Self.bundle(id: "b-1", values: [60, 61]))
        let rekeyed = acceptance.rekeyed(messageControlID: "sha256:" + acceptance.contentDigest.hex)
        #expect(rekeyed.events.map(\.id) == rekeyed.events.map { EventID(source: $0.source) })
        #expect(Set(rekeyed.events.map(\.id)).isDisjoint(with: acceptance.events.map(\.id)))
        #expect(rekeyed.events.map(\.value) == acceptance.events.map(\.value))
        #expect(acceptance.contentSHA256.count == 32)
    }
}
