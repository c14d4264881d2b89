import Foundation
import Ingestion
import Testing

/// The checks before any FHIR validation: size, content type, encoding, JSON syntax, resourceType.
@Suite struct FHIRFrontDoorTests {
    static let observation = #"""
        {"resourceType":"Observation","id":"o1","status":"final",
         "code":{"coding":[{"system":"http://loinc.org","code":"8867-4"}]},
         "subject":{"reference":"Patient/p1"},"effectiveDateTime":"2024-05-01T12:00:00Z",
         "valueQuantity":{"value":72,"unit":"/min","system":"http://unitsofmeasure.org","code":"/min"}}
        """#

    static func rejection(_ body: [UInt8], _ contentType: String? = nil) throws -> FHIRIntakeRejection {
        try #require(FHIRIntake.process(body, contentType: contentType).rejection)
    }

    @Test(arguments: [
        "application/fhir+json", "application/json", "application/json+fhir", "application/fhir+json; charset=utf-8",
        "Application/FHIR+JSON;fhirVersion=4.0", "application/fhir+json; charset=\"UTF-8\"",
    ])
    func acceptsFHIRJSONContentTypes(contentType: String) {
        #expect(FHIRIntake.process(Array(Self.observation.utf8), contentType: contentType).acceptance != nil)
    }

    @Test func xmlIsRefusedAsNotSupportedWhetherDeclaredOrSniffed() throws {
        let xml = Array(#"<?xml version="1.0"?><Observation xmlns="http://hl7.org/fhir"/>"#.utf8)
        for contentType in ["application/fhir+xml", "application/xml", nil] {
            let rejection = try Self.rejection(xml, contentType)
            #expect(rejection.httpStatus == 400)
            #expect(rejection.reason == .unsupportedMessage)
            #expect(rejection.outcome.issues.first?.code == .notSupported)
        }
    }

    @Test func ndjsonIsAParseError() throws {
        let ndjson = Array((Self.observation.replacingOccurrences(of: "\n", with: "") + "\n"
            + Self.observation.replacingOccurrences(of: "\n", with: "") + "\n").utf8)
        for contentType in ["application/fhir+ndjson", nil] {
            let rejection = try Self.rejection(ndjson, contentType)
            #expect(rejection.httpStatus == 400)
            #expect(rejection.reason == .parseError)
            #expect(rejection.outcome.issues.first?.diagnostics.contains("NDJSON") == true)
        }
    }

    @Test func otherMediaTypesAndCharsetsAndVersionsAreRefused() throws {
        let body = Array(Self.observation.utf8)
        #expect(try Self.rejection(body, "text/plain").reason == .unsupportedMessage)
        #expect(try Self.rejection(body, "application/fhir+json; charset=iso-8859-1").reason == .encodingError)
        #expect(try Self.rejection(body, "application/fhir+json; fhirVersion=3.0").reason == .unsupportedMessage)
        for contentType in ["text/plain", "application/fhir+json; charset=iso-8859-1"] {
            #expect(try Self.rejection(body, contentType).httpStatus == 400)
        }
    }

    @Test func byteOrderMarkIsAccepted() {
        let body = [0xEF, 0xBB, 0xBF] + Array(Self.observation.utf8)
        #expect(FHIRIntake.process(body, contentType: nil).acceptance?.events.count == 1)
    }

    @Test func invalidUTF8IsAnEncodingError() throws {
        var body = Array(Self.observation.utf8)
        let index = try #require(body.firstIndex(of: UInt8(ascii: "/")))
        body[index] = 0xFF
        let rejection = try Self.rejection(body)
        #expect(rejection.httpStatus == 400)
        #expect(rejection.reason == .encodingError)
    }

    @Test func emptyAndNonObjectBodiesAreParseErrors() throws {
        for body in ["", "   \n", "[]", "[{\"resourceType\":\"Patient\"}]", "42"] {
            let rejection = try Self.rejection(Array(body.utf8))
            #expect(rejection.httpStatus == 400)
            #expect(rejection.reason == .parseError)
        }
    }

    @Test func syntaxErrorsAreLocatedByLineAndColumn() throws {
        let body = Array("{\n  \"resourceType\": \"Patient\",\n  \"gender\": ,\n}".utf8)
        let rejection = try Self.rejection(body)
        #expect(rejection.reason == .parseError)
        let diagnostics = try #require(rejection.outcome.issues.first?.diagnostics)
        #expect(diagnostics.contains("line 3"))
    }

    @Test func bodiesAboveTheLimitAreTooLarge() throws {
        let body = Array(Self.observation.utf8)
        let result = FHIRIntake.process(
            body, contentType: nil, options: FHIRIntake.Options(maxBodyBytes: body.count - 1))
        let rejection = try #require(result.rejection)
        #expect(rejection.httpStatus == 413)
        #expect(rejection.reason == .tooLarge)
        #expect(FHIRIntake.process(body, contentType: nil, options: .init(maxBodyBytes: body.count)).acceptance != nil)
    }

    @Test func resourceTypeMustBePresentAndKnown() throws {
        let missing = try Self.rejection(Array(#"{"id":"x","gender":"male"}"#.utf8))
        #expect(missing.httpStatus == 422)
        #expect(missing.outcome.issues.first?.code == .required)
        #expect(missing.outcome.issues.first?.expression == ["resourceType"])
        let unknown = try Self.rejection(Array(#"{"resourceType":"Patientt","id":"x"}"#.utf8))
        #expect(unknown.httpStatus == 422)
        #expect(unknown.outcome.issues.first?.code == .invalid)
        // The unknown name is not echoed (it is sender text).
        #expect(!String(decoding: unknown.outcome.jsonBytes(), as: UTF8.self).contains("Patientt"))
    }

    @Test(arguments: ["Condition", "Claim", "MedicationRequest", "OperationOutcome", "Parameters"])
    func unsupportedTopLevelTypesAreNotSupported(type: String) throws {
        let rejection = try Self.rejection(Array(#"{"resourceType":"\#(type)","id":"x"}"#.utf8))
        #expect(rejection.httpStatus == 422)
        #expect(rejection.reason == .unsupportedMessage)
        #expect(rejection.outcome.issues.first?.code == .notSupported)
        #expect(rejection.outcome.issues.first?.expression == [type])
    }

    @Test func rejectionsCarryTheBodyDigest() throws {
        let body = Array(#"{"resourceType":"Claim"}"#.utf8)
        let rejection = try Self.rejection(body)
        #expect(rejection.contentDigest.hex.count == 64)
        #expect(rejection.contentDigest == (try Self.rejection(body)).contentDigest)
    }
}
