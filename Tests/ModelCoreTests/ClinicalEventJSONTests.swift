import Foundation
import Testing
import VigilModelCore

@Suite struct ClinicalEventJSONTests {
    static let values: [EventValue?] = [
        .quantity(value: 72, unit: "/min"), .quantity(value: 37.25, unit: "Cel"), .quantity(value: -1.5e-3, unit: "1"),
        .text("Patient comfortable, no distress"),
        .coded(Coding(system: Coding.System.snomedCT, code: "373066001", display: "Yes")),
        .coded(Coding(system: Coding.System.loinc, code: "LA6576-8")), nil,
    ]

    @Test(arguments: values)
    func roundTripsEveryValueKind(_ value: EventValue?) throws {
        let event = Fixtures.event(value: value)
        let bytes = try VigilJSON.encode(event)
        #expect(try VigilJSON.decode(ClinicalEvent.self, from: bytes) == event)
    }

    @Test(arguments: EventKind.allCases)
    func roundTripsEveryKind(_ kind: EventKind) throws {
        var event = Fixtures.event(kind: kind)
        if kind.isRevision { event.revises = EventID(source: Fixtures.source(position: 0)) }
        #expect(try VigilJSON.decode(ClinicalEvent.self, from: VigilJSON.encode(event)) == event)
    }

    @Test func encodingIsStableAndSorted() throws {
        let text = String(decoding: try VigilJSON.encode(Fixtures.event()), as: UTF8.self)
        let expected = """
            {"code":{"code":"8867-4","display":"Heart rate","system":"http://loinc.org"},\
            "effectiveTime":"2024-05-01T12:34:56.789Z","encounter":"enc-7f3a",\
            "id":"\(Fixtures.event().id)","kind":"observation","patient":"\(Fixtures.patient)",\
            "recordedTime":"2024-05-01T12:35:00.250Z","schema":"vigil.clinical-event/1.1",\
            "source":{"messageControlID":"MSG00001","position":3,"system":"LAB^HOSP"},\
            "value":{"type":"quantity","unit":"/min","value":72}}
            """
        #expect(text == expected)
    }

    @Test func timesAreKeptToTheMillisecond() throws {
        var event = Fixtures.event()
        event.effectiveTime = Date(timeIntervalSince1970: 1_714_566_896.789_4)
        #expect(event.effectiveTime == Fixtures.effective)
        #expect(try VigilJSON.decode(ClinicalEvent.self, from: VigilJSON.encode(event)) == event)
    }

    @Test func acceptsANewerMinorWithExtraFields() throws {
        var object = Fixtures.json(try VigilJSON.encode(Fixtures.event()))
        object["schema"] = "vigil.clinical-event/1.7"
        object["futureOptionalField"] = ["anything": true]
        #expect(try VigilJSON.decode(ClinicalEvent.self, from: Fixtures.bytes(object)) == Fixtures.event())
    }

    @Test func rejectsAnotherMajorBeforeReadingFields() throws {
        // A 2.x value may have renamed everything; the error must be about the version, not a field.
        let bytes = Fixtures.bytes(["schema": "vigil.clinical-event/2.0", "totallyDifferent": 1])
        let error = #expect(throws: ModelCoreError.self) { try VigilJSON.decode(ClinicalEvent.self, from: bytes) }
        #expect(error?.code == .unsupportedSchemaVersion)
        #expect(error?.field == "schema")
        #expect(error?.version == SchemaVersion(major: 2, minor: 0))
    }

    @Test func rejectsMissingOrForeignSchema() throws {
        var object = Fixtures.json(try VigilJSON.encode(Fixtures.event()))
        object["schema"] = nil
        let missing = #expect(throws: ModelCoreError.self) {
            try VigilJSON.decode(ClinicalEvent.self, from: Fixtures.bytes(object))
        }
        #expect(missing?.field == "schema")
        object["schema"] = "vigil.risk-record/1.0"
        let foreign = #expect(throws: ModelCoreError.self) {
            try VigilJSON.decode(ClinicalEvent.self, from: Fixtures.bytes(object))
        }
        #expect(foreign?.code == .schemaMismatch)
    }

    @Test func decodeErrorsNameTheFieldButNotTheValue() throws {
        var object = Fixtures.json(try VigilJSON.encode(Fixtures.event()))
        object["kind"] = "SECRET-CANARY-KIND"
        let error = #expect(throws: ModelCoreError.self) {
            try VigilJSON.decode(ClinicalEvent.self, from: Fixtures.bytes(object))
        }
        #expect(error?.code == .invalidPayload)
        #expect(error?.field == "kind")
        #expect(error?.description.contains("SECRET-CANARY") == false)

        object = Fixtures.json(try VigilJSON.encode(Fixtures.event()))
        object["value"] = ["type": "quantity", "unit": "/min"]
        let missing = #expect(throws: ModelCoreError.self) {
            try VigilJSON.decode(ClinicalEvent.self, from: Fixtures.bytes(object))
        }
        #expect(missing?.field == "value.value")
    }

    @Test func onlyRevisionsMayReviseAnEvent() {
        var event = Fixtures.event(kind: .observation)
        event.revises = EventID(source: Fixtures.source(position: 0))
        let error = #expect(throws: ModelCoreError.self) { try VigilJSON.encode(event) }
        #expect(error?.field == "revises")
    }

    @Test func nonFiniteQuantitiesAreRejected() {
        let event = Fixtures.event(value: .quantity(value: .nan, unit: "/min"))
        let error = #expect(throws: ModelCoreError.self) { try VigilJSON.encode(event) }
        #expect(error?.field == "value.value")
    }

    @Test func malformedJSONIsAnInvalidPayload() {
        let error = #expect(throws: ModelCoreError.self) {
            try VigilJSON.decode(ClinicalEvent.self, from: Array("{not json".utf8))
        }
        #expect(error?.code == .invalidPayload)
    }
}
