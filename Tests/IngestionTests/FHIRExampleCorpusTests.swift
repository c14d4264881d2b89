import Foundation
import Ingestion
import Testing

/// The manifest's valid examples: those of supported types are accepted, JSON of other types is refused as
/// not supported, XML and NDJSON are refused as not accepted formats.
@Suite struct FHIRExampleCorpusTests {
    static let supported = ["Bundle", "Observation", "Patient", "Encounter", "DocumentReference"]
    static let validRows = FHIRFixtures.manifest.filter { !$0.isInvalid }

    static func isSupported(_ row: FHIRFixtures.ManifestRow) -> Bool {
        row.path.hasSuffix(".json") && supported.contains(String(row.resourceType.split(separator: "/").first ?? ""))
    }

    static let supportedRows = validRows.filter(isSupported)
    static let unsupportedJSONRows = validRows.filter { $0.path.hasSuffix(".json") && !isSupported($0) }
    static let otherFormatRows = validRows.filter { !$0.path.hasSuffix(".json") }

    @Test func corpusIsPresent() {
        #expect(Self.supportedRows.count >= 40)
        #expect(Self.unsupportedJSONRows.count >= 100)
        #expect(Self.otherFormatRows.count >= 3)
    }

    @Test(arguments: supportedRows)
    func supportedExampleIsAccepted(row: FHIRFixtures.ManifestRow) throws {
        let body = FHIRFixtures.bytes(row.url)
        let result = FHIRIntake.process(body, contentType: "application/fhir+json")
        let acceptance = try #require(
            result.acceptance, "\(row.path): \(result.rejection?.outcome.issues.map { ($0.expression, $0.diagnostics) } ?? [])")
        #expect(acceptance.resourceType == String(row.resourceType.split(separator: "/")[0]))
        #expect(!acceptance.outcome.hasErrors)
        // Same input twice → identical event ids.
        let again = try #require(FHIRIntake.process(body, contentType: nil).acceptance)
        #expect(again.events.map(\.id) == acceptance.events.map(\.id))
    }

    @Test(arguments: unsupportedJSONRows)
    func otherResourceTypesAreNotSupported(row: FHIRFixtures.ManifestRow) throws {
        let rejection = try #require(FHIRIntake.process(FHIRFixtures.bytes(row.url), contentType: nil).rejection)
        #expect(rejection.httpStatus == 422)
        if row.resourceType == "<missing>" {
            #expect(rejection.outcome.issues.contains { $0.code == .required && $0.expression == ["resourceType"] })
        } else {
            #expect(rejection.reason == .unsupportedMessage)
            #expect(rejection.outcome.issues.contains { $0.code == .notSupported && $0.expression == [row.resourceType] })
        }
    }

    @Test(arguments: otherFormatRows)
    func xmlAndNDJSONAreRefused(row: FHIRFixtures.ManifestRow) throws {
        let body = FHIRFixtures.bytes(row.url)
        let declared = try #require(FHIRIntake.process(body, contentType: FHIRFixtures.contentType(for: row.url)).rejection)
        #expect(declared.httpStatus == 400)
        #expect(declared.reason == (row.path.hasSuffix(".xml") ? .unsupportedMessage : .parseError))
        // Undeclared: XML is sniffed; a one-line NDJSON file is a JSON document (here with placeholder ids
        // such as "##PatientID##", which are not valid FHIR ids).
        let sniffed = try #require(FHIRIntake.process(body, contentType: nil).rejection)
        #expect((400..<500).contains(sniffed.httpStatus))
    }
}
