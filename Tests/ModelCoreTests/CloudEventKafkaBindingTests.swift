import Foundation
import Testing
import VigilModelCore

@Suite struct CloudEventKafkaBindingTests {
    static let producer = "urn:vigil:deid"

    func encoded(_ event: ClinicalEvent = Fixtures.event(), extensions: [String: String] = [:]) throws
        -> (headers: KafkaHeaderList, data: [UInt8])
    {
        try CloudEvent.encode(
            event: event, source: Self.producer, traceparent: Fixtures.traceparent, extensions: extensions)
    }

    func replacing(_ key: String, with value: String?, in headers: KafkaHeaderList) -> KafkaHeaderList {
        var result = headers.filter { $0.key != key }
        if let value { result.append((key, Array(value.utf8))) }
        return result
    }

    @Test func roundTripsAClinicalEvent() throws {
        for kind in EventKind.allCases {
            var event = Fixtures.event(kind: kind)
            if kind.isRevision { event.revises = EventID(source: Fixtures.source(position: 0)) }
            let (headers, data) = try encoded(event)
            #expect(try ClinicalEvent.decode(headers: headers, data: data) == event)
        }
    }

    @Test func writesTheBinaryModeHeaders() throws {
        let event = Fixtures.event()
        let (headers, data) = try encoded(event)
        #expect(Fixtures.header(headers, "ce_specversion") == "1.0")
        #expect(Fixtures.header(headers, "ce_id") == event.id.rawValue)
        #expect(Fixtures.header(headers, "ce_source") == Self.producer)
        #expect(Fixtures.header(headers, "ce_type") == "org.vigil.clinical.observation.v1")
        #expect(Fixtures.header(headers, "ce_time") == "2024-05-01T12:34:56.789Z")
        #expect(Fixtures.header(headers, "ce_subject") == Fixtures.patient.rawValue)
        #expect(Fixtures.header(headers, "ce_dataschema") == "urn:vigil:schema:vigil.clinical-event/1.1")
        #expect(Fixtures.header(headers, "content-type") == "application/json")
        #expect(Fixtures.header(headers, "traceparent") == Fixtures.traceparent.rawValue)
        #expect(Fixtures.json(data)["schema"] as? String == "vigil.clinical-event/1.1")
        // Every header key appears once.
        #expect(Set(headers.map(\.key)).count == headers.count)
    }

    @Test func preservesExtensionsAndTraceContext() throws {
        let (headers, data) = try encoded(extensions: ["partitionkey": "abc", "vigilstage": "deid"])
        #expect(Fixtures.header(headers, "ce_partitionkey") == "abc")
        let (_, envelope) = try ClinicalEvent.decodeWithEnvelope(
            headers: headers + [("tracestate", Array("vendor=1".utf8))], data: data)
        #expect(envelope.extensions == ["partitionkey": "abc", "vigilstage": "deid"])
        #expect(envelope.traceparent == Fixtures.traceparent)
        #expect(envelope.tracestate == "vendor=1")
        #expect(try envelope.kafkaBinary().headers.map(\.key).contains("tracestate"))
    }

    @Test func invalidTraceparentIsDroppedNotFatal() throws {
        let (headers, data) = try encoded()
        let broken = replacing(
            "traceparent", with: "00-00000000000000000000000000000000-00f067aa0ba902b7-01", in: headers)
        let (event, envelope) = try ClinicalEvent.decodeWithEnvelope(headers: broken, data: data)
        #expect(event == Fixtures.event())
        #expect(envelope.traceparent == nil)
    }

    @Test(arguments: ["specversion", "id", "source", "type"])
    func missingRequiredAttributeIsNamed(_ name: String) throws {
        let (headers, data) = try encoded()
        let error = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(headers: replacing("ce_" + name, with: nil, in: headers), data: data)
        }
        #expect(error?.code == .missingAttribute)
        #expect(error?.field == name)
        #expect(error?.description.contains(name) == true)
    }

    @Test func emptyOrRepeatedAttributesAreInvalid() throws {
        let (headers, data) = try encoded()
        let empty = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(headers: replacing("ce_source", with: "", in: headers), data: data)
        }
        #expect(empty?.code == .invalidAttribute)
        #expect(empty?.field == "source")
        let repeated = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(headers: headers + [("ce_id", Array("other".utf8))], data: data)
        }
        #expect(repeated?.field == "id")
    }

    @Test func rejectsSpecVersionTwo() throws {
        let (headers, data) = try encoded()
        let error = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(headers: replacing("ce_specversion", with: "2.0", in: headers), data: data)
        }
        #expect(error?.code == .unsupportedSchemaVersion)
        #expect(error?.field == "specversion")
        // A later 1.x is fine.
        #expect(throws: Never.self) {
            try ClinicalEvent.decode(headers: replacing("ce_specversion", with: "1.1", in: headers), data: data)
        }
    }

    @Test func rejectsDataMajorTwoInTypeSchemaOrPayload() throws {
        let (headers, data) = try encoded()
        let viaType = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(
                headers: replacing("ce_type", with: "org.vigil.clinical.observation.v2", in: headers), data: data)
        }
        #expect(viaType?.code == .unsupportedSchemaVersion)
        #expect(viaType?.field == "type")

        let viaSchema = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(
                headers: replacing("ce_dataschema", with: "urn:vigil:schema:vigil.clinical-event/2.0", in: headers),
                data: data)
        }
        #expect(viaSchema?.code == .unsupportedSchemaVersion)
        #expect(viaSchema?.field == "dataschema")

        var object = Fixtures.json(data)
        object["schema"] = "vigil.clinical-event/2.0"
        let viaPayload = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(headers: headers, data: Fixtures.bytes(object))
        }
        #expect(viaPayload?.code == .unsupportedSchemaVersion)
        #expect(viaPayload?.field == "schema")
    }

    @Test func rejectsHeadersThatDisagreeWithTheData() throws {
        let (headers, data) = try encoded()
        let otherID = EventID(source: Fixtures.source(position: 9)).rawValue
        let wrongID = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(headers: replacing("ce_id", with: otherID, in: headers), data: data)
        }
        #expect(wrongID?.field == "id")
        let wrongKind = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(
                headers: replacing("ce_type", with: "org.vigil.clinical.lab.v1", in: headers), data: data)
        }
        #expect(wrongKind?.field == "type")
        let identified = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(
                headers: replacing("ce_type", with: "org.vigil.clinical.identified.observation.v1", in: headers),
                data: data)
        }
        #expect(identified?.code == .invalidAttribute)
    }

    @Test func rejectsStructuredModeAndNonJSONContent() throws {
        let (headers, data) = try encoded()
        let structured = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(
                headers: replacing("content-type", with: "application/cloudevents+json", in: headers), data: data)
        }
        #expect(structured?.code == .unsupportedContentType)
        let xml = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(
                headers: replacing("content-type", with: "application/xml", in: headers), data: data)
        }
        #expect(xml?.code == .unsupportedContentType)
        #expect(throws: Never.self) {
            try ClinicalEvent.decode(
                headers: replacing("content-type", with: "application/json; charset=utf-8", in: headers), data: data)
        }
    }

    @Test func genericEnvelopeRoundTripsWithoutTypedPayload() throws {
        let event = CloudEvent(
            id: "1234-1234-1234", source: "/mycontext/subcontext", type: "com.example.someevent",
            time: Date(timeIntervalSince1970: 1_522_900_584), subject: "s", dataContentType: "application/avro",
            extensions: ["comexampleextension1": "value"], data: [0, 1, 2, 255])
        let (headers, data) = try event.kafkaBinary()
        #expect(Fixtures.header(headers, "ce_time") == "2018-04-05T03:56:24.000Z")
        #expect(try CloudEvent(kafkaHeaders: headers, data: data) == event)
    }

    @Test func rejectsBadExtensionNamesAndIgnoresForeignHeaders() throws {
        let event = CloudEvent(id: "1", source: "s", type: "t", extensions: ["Bad_Name": "x"], data: [])
        let error = #expect(throws: ModelCoreError.self) { try event.kafkaBinary() }
        #expect(error?.code == .invalidAttribute)
        let (headers, data) = try encoded()
        #expect(throws: Never.self) {
            try ClinicalEvent.decode(headers: headers + [("vigil-dlq-reason", Array("x".utf8))], data: data)
        }
        let bad = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(headers: headers + [("ce_data", Array("x".utf8))], data: data)
        }
        #expect(bad?.field == "data")
    }

    @Test func malformedTimeAndEmptyContentTypeAreErrorsNotCrashes() throws {
        let (headers, data) = try encoded()
        let time = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(headers: replacing("ce_time", with: "yesterday", in: headers), data: data)
        }
        #expect(time?.field == "time")
        let contentType = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(headers: replacing("content-type", with: "", in: headers), data: data)
        }
        #expect(contentType?.code == .unsupportedContentType)
        let notUTF8 = #expect(throws: ModelCoreError.self) {
            try ClinicalEvent.decode(headers: headers + [("ce_extra", [0xFF, 0xFE])], data: data)
        }
        #expect(notUTF8?.field == "extra")
    }

    @Test func traceparentValidation() {
        #expect(TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")?.isSampled == true)
        #expect(TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00")?.isSampled == false)
        #expect(TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01") == nil)
        #expect(TraceParent("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01") == nil)
        #expect(TraceParent("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01") == nil)
        #expect(TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra") == nil)
        #expect(TraceParent("01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra") != nil)
        #expect(Fixtures.traceparent.traceID == "4bf92f3577b34da6a3ce929d0e0e4736")
        #expect(Fixtures.traceparent.parentID == "00f067aa0ba902b7")
    }
}
