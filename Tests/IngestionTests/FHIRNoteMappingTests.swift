import Foundation
import Ingestion
import Testing
import VigilModelCore
import VigilPHI

/// DocumentReference attachments and `additional` narratives → note events with plain text.
@Suite struct FHIRNoteMappingTests {
    static func document(_ attachments: [[String: Any]]) -> [String: Any] {
        [
            "resourceType": "DocumentReference", "id": "d1", "status": "current",
            "type": ["coding": [["system": "http://loinc.org", "code": "34117-2", "display": "History and physical note"]]],
            "subject": ["reference": "Patient/p1"], "date": "2024-05-01T09:00:00Z",
            "context": ["encounter": [["reference": "Encounter/e9"]], "period": ["start": "2024-05-01T08:00:00Z"]],
            "content": attachments.map { ["attachment": $0] },
        ]
    }

    static func base64(_ text: String) -> String { Data(text.utf8).base64EncodedString() }

    static func process(_ resource: [String: Any]) -> FHIRIntakeResult {
        FHIRIntake.process(FHIRFixtures.data(resource), contentType: nil)
    }

    @Test func plainTextAttachmentBecomesANote() throws {
        let text = "Patient seen for chest pain.\nNo distress."
        let acceptance = try #require(Self.process(Self.document([["contentType": "text/plain; charset=utf-8", "data": Self.base64(text)]])).acceptance)
        let event = try #require(acceptance.events.first)
        #expect(acceptance.events.count == 1)
        #expect(event.kind == .note)
        #expect(event.value == .text(text))
        #expect(event.code == Coding(system: "http://loinc.org", code: "34117-2", display: "History and physical note"))
        #expect(event.effectiveTime == ISO8601DateFormatter().date(from: "2024-05-01T08:00:00Z"))
        #expect(event.recordedTime == ISO8601DateFormatter().date(from: "2024-05-01T09:00:00Z"))
        #expect(event.encounter == "e9")
    }

    @Test func htmlIsStrippedToText() throws {
        let html = "<html><head><style>p{color:red}</style></head><body><p>BP &lt;140 &amp; stable</p><br/>Plan:&#160;review&#x21;<script>x()</script></body></html>"
        let event = try #require(Self.process(Self.document([["contentType": "text/html", "data": Self.base64(html)]])).acceptance?.events.first)
        #expect(event.value == .text("BP <140 & stable\nPlan: review!"))
    }

    @Test func binaryAndReferencedAttachmentsAreIgnoredWithAWarning() throws {
        let acceptance = try #require(Self.process(Self.document([
            ["contentType": "application/pdf", "data": Self.base64("%PDF-1.4")],
            ["contentType": "text/plain", "url": "http://example.org/Binary/1"],
        ])).acceptance)
        #expect(acceptance.events.isEmpty)
        #expect(acceptance.coverage.elementCount("DocumentReference", "content.attachment.contentType", .ignored) == 1)
        #expect(acceptance.coverage.elementCount("DocumentReference", "content.attachment.url", .ignored) == 1)
        #expect(acceptance.outcome.issues.contains { $0.severity == .warning })
    }

    @Test func nonUTF8TextIsAnEncodingError() throws {
        let latin1 = Data([0x43, 0x61, 0x66, 0xE9]).base64EncodedString()  // "Café" in ISO-8859-1
        let rejection = try #require(Self.process(Self.document([["contentType": "text/plain", "data": latin1]])).rejection)
        #expect(rejection.reason == .encodingError)
        #expect(rejection.outcome.issues.contains { $0.expression == ["DocumentReference.content[0].attachment.data"] })
        let charset = try #require(Self.process(Self.document([["contentType": "text/plain; charset=iso-8859-1", "data": latin1]])).rejection)
        #expect(charset.reason == .encodingError)
    }

    @Test func additionalNarrativeBecomesANoteGeneratedDoesNot() throws {
        func observation(narrative status: String) -> [String: Any] {
            [
                "resourceType": "Observation", "status": "final",
                "text": ["status": status, "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p>Wound <b>healing</b> well.</p><p>Dressing changed.</p></div>"],
                "code": ["coding": [["system": "http://loinc.org", "code": "8867-4"]]],
                "subject": ["reference": "Patient/p1"], "effectiveDateTime": "2024-05-01T12:00:00Z",
                "valueQuantity": ["value": 70, "system": "http://unitsofmeasure.org", "code": "/min"],
            ]
        }
        let additional = try #require(Self.process(observation(narrative: "additional")).acceptance)
        let note = try #require(additional.events.first { $0.kind == .note })
        #expect(note.value == .text("Wound healing well.\nDressing changed."))
        #expect(note.source.position == 999)
        #expect(additional.coverage.elementCount("Observation", "text.div", .mapped) == 1)
        let generated = try #require(Self.process(observation(narrative: "generated")).acceptance)
        #expect(!generated.events.contains { $0.kind == .note })
        #expect(generated.coverage.elementCount("Observation", "text.div", .ignored) == 1)
    }

    @Test func cdaExampleAttachmentIsReadAsText() throws {
        let url = FHIRFixtures.root.appendingPathComponent("examples/ms-fhir-server/R4/DocumentReference-example-with-base64.json")
        let body = FHIRFixtures.bytes(url)
        let acceptance = try #require(FHIRIntake.process(body, contentType: nil).acceptance)
        let content = try #require((FHIRFixtures.json(body)["content"] as? [[String: Any]])?.first?["attachment"] as? [String: Any])
        let expected = String(decoding: Data(base64Encoded: try #require(content["data"] as? String)) ?? Data(), as: UTF8.self)
        #expect(acceptance.events.map(\.value) == [.text(expected)])
    }
}
