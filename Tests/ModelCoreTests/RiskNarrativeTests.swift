import Foundation
import Testing
import VigilModelCore

@Suite struct RiskNarrativeTests {
    static let record = EventID.derive(namespace: "risk", parts: ["narrative-test"])

    static func narrative(aiGenerated: Bool) -> RiskNarrative {
        RiskNarrative(
            riskRecordID: record, patient: Fixtures.patient, text: "NEWS2 7 (high): respiratory rate 3.",
            aiGenerated: aiGenerated, source: aiGenerated ? "foundation-model" : "fallback",
            deployment: aiGenerated ? "gpt-4o-mini" : nil, fallbackReason: aiGenerated ? nil : "timeout",
            latencyMs: 812.5, createdAt: Fixtures.recorded)
    }

    @Test(arguments: [true, false])
    func roundTripsThroughCloudEvents(aiGenerated: Bool) throws {
        let narrative = Self.narrative(aiGenerated: aiGenerated)
        let (headers, data) = try CloudEvent.encode(event: narrative, source: "urn:vigil:infer")
        #expect(Fixtures.header(headers, "ce_type") == "org.vigil.risk.narrative.v1")
        #expect(Fixtures.header(headers, "ce_dataschema") == "urn:vigil:schema:vigil.risk-narrative/1.0")
        #expect(try RiskNarrative.decode(headers: headers, data: data) == narrative)
        let object = Fixtures.json(data)
        #expect(object["aiGenerated"] as? Bool == aiGenerated)
        #expect(
            object["disclaimer"] as? String
                == (aiGenerated
                    ? "AI-generated; not a diagnosis; does not affect alerting."
                    : "Automated summary; not a diagnosis; does not affect alerting."))
    }

    @Test func idFollowsTheRecordAndSourceAndIsChecked() throws {
        let model = Self.narrative(aiGenerated: true)
        let fallback = Self.narrative(aiGenerated: false)
        #expect(model.id != fallback.id)
        #expect(model.id == RiskNarrative.deriveID(riskRecordID: Self.record, source: "foundation-model"))
        #expect(model.id == Self.narrative(aiGenerated: true).id, "replays give the same id")
        var object = Fixtures.json(try VigilJSON.encode(model))
        object["id"] = fallback.id.rawValue
        #expect(throws: ModelCoreError.self) { try VigilJSON.decode(RiskNarrative.self, from: Fixtures.bytes(object)) }
    }
}
