import Foundation
import Ingestion
import Testing

/// Every file of `Tests/Fixtures/fhir_r4/invalid/` is rejected with a 4xx and an `OperationOutcome` whose
/// issues locate the fault the manifest's `note` names.
@Suite struct FHIRInvalidCorpusTests {
    struct Expectation: Sendable {
        let status: Int
        let reason: FHIRDeadLetterReason
        /// An expression one of the error issues must carry (nil: not an element fault, e.g. a syntax error).
        let expression: String?
        let code: FHIROperationOutcome.Issue.Code
    }

    /// From the manifest notes (file name → what is wrong and where).
    static let expectations: [String: Expectation] = [
        // "element enum values invalid (batch)": gender1/birthDate1 and HumanName.use1 are not R4 elements.
        "Bundle-BatchWithInvalidEleEnums.json": .init(
            status: 422, reason: .validationFailed, expression: "Bundle.entry[0].resource.gender1", code: .structure),
        "Bundle-InvalidBundleType.json": .init(
            status: 422, reason: .validationFailed, expression: "Bundle.type", code: .codeInvalid),
        // "bundle missing identifier/entries": fullUrl "urn:uuid:" holds no UUID; PUT "Location/" has no id.
        "Bundle-MissingIdentifier.json": .init(
            status: 422, reason: .validationFailed, expression: "Bundle.entry[0].fullUrl", code: .value),
        // "syntactically broken JSON ("status":, at line 39)".
        "Bundle-TransactionWithInvalidBundleEntry.json": .init(
            status: 400, reason: .parseError, expression: nil, code: .structure),
        // "invalid processing record": the Patient's fullUrl urn:uuid:patient-001 is not a UUID.
        "Bundle-TransactionWithInvalidProcessingRecord.json": .init(
            status: 422, reason: .validationFailed, expression: "Bundle.entry[6].fullUrl", code: .value),
        // "invalid request routes": a conditional DELETE and an operation, nothing to create or update.
        "Bundle-TransactionWithInvalidProcessingRoutes.json": .init(
            status: 422, reason: .unsupportedMessage, expression: "Bundle.entry[1].request.url", code: .notSupported),
        // "unknown resourceType in entry": subject "Patientt?identifier=12345".
        "Bundle-TransactionWithInvalidResourceType.json": .init(
            status: 422, reason: .validationFailed, expression: "Bundle.entry[0].resource.subject.reference",
            code: .invalid),
        "Bundle-TransactionWithMultipleResourcesWithSameFullUrl.json": .init(
            status: 422, reason: .validationFailed, expression: "Bundle.entry[1].fullUrl", code: .duplicate),
        "Bundle-TypeMissing.json": .init(
            status: 422, reason: .validationFailed, expression: "Bundle.type", code: .required),
        "Import-InvalidPatient.ndjson": .init(status: 400, reason: .parseError, expression: nil, code: .notSupported),
        // "invalid Observation": text is a string (Narrative is an object) and _text is not allowed.
        "InvalidObservation.json": .init(
            status: 422, reason: .validationFailed, expression: "Observation.text", code: .structure),
        // "malformed decimal": Money is a datatype, not a resource.
        "MoneyWithWrongDecimal.json": .init(
            status: 422, reason: .validationFailed, expression: "resourceType", code: .invalid),
        "ObservationWithInvalidDecimalSpecification.json": .init(
            status: 422, reason: .validationFailed, expression: "Observation.valueQuantity.value", code: .value),
        "ObservationWithInvalidStatus.json": .init(
            status: 422, reason: .validationFailed, expression: "Observation.status", code: .codeInvalid),
        "ObservationWithInvalidStatus.xml": .init(
            status: 400, reason: .unsupportedMessage, expression: nil, code: .notSupported),
        "ObservationWithNoCode.json": .init(
            status: 422, reason: .validationFailed, expression: "Observation.code", code: .required),
        "ObservationWithNoCode.xml": .init(status: 400, reason: .unsupportedMessage, expression: nil, code: .notSupported),
        "PatientMissingResourceType.json": .init(
            status: 422, reason: .validationFailed, expression: "resourceType", code: .required),
        "PatientWithUnknownElements.json": .init(
            status: 422, reason: .validationFailed, expression: "Patient.name1", code: .structure),
        "Profile-Patient-uscore-noGender.json": .init(
            status: 422, reason: .validationFailed, expression: "Patient.gender", code: .required),
        // The fixture is byte-identical to the noGender one (it has an identifier): it fails on gender.
        "Profile-Patient-uscore-noidentifier.json": .init(
            status: 422, reason: .validationFailed, expression: "Patient.gender", code: .required),
        // "bad FHIRPath expression": SearchParameter is not a type Vigil ingests.
        "SearchParameterBadSyntax.json": .init(
            status: 422, reason: .unsupportedMessage, expression: "SearchParameter", code: .notSupported),
        // "invalid CompartmentDefinition": two entries share a fullUrl (bdl-7), which disagrees with the id.
        "InvalidCompartmentDefinition.json": .init(
            status: 422, reason: .validationFailed, expression: "Bundle.entry[1].fullUrl", code: .duplicate),
    ]

    static let invalidRows = FHIRFixtures.manifest.filter(\.isInvalid)

    @Test func manifestListsEveryInvalidFileAndEachHasAnExpectation() throws {
        let directory = FHIRFixtures.root.appendingPathComponent("invalid")
        let onDisk = try #require(FileManager.default.enumerator(atPath: directory.path)).compactMap { $0 as? String }
            .filter { [".json", ".xml", ".ndjson"].contains(where: $0.hasSuffix) }
        #expect(onDisk.count == Self.invalidRows.count)
        #expect(Set(onDisk.map { "invalid/" + $0 }) == Set(Self.invalidRows.map(\.path)))
        for row in Self.invalidRows {
            #expect(Self.expectations[row.url.lastPathComponent] != nil, "no expectation for \(row.path)")
        }
    }

    @Test(arguments: invalidRows)
    func rejectedWithLocatedOperationOutcome(row: FHIRFixtures.ManifestRow) throws {
        let expectation = try #require(Self.expectations[row.url.lastPathComponent])
        let body = FHIRFixtures.bytes(row.url)
        try #require(!body.isEmpty)
        for contentType in [FHIRFixtures.contentType(for: row.url), nil] {
            let result = FHIRIntake.process(body, contentType: contentType)
            let rejection = try #require(result.rejection, "\(row.path) was accepted")
            #expect(rejection.httpStatus == expectation.status)
            #expect((400..<500).contains(rejection.httpStatus))
            #expect(rejection.reason == expectation.reason || (contentType != nil && row.path.hasSuffix(".ndjson")))
            let errors = rejection.outcome.issues.filter(\.isError)
            #expect(!errors.isEmpty)
            #expect(errors.allSatisfy { !$0.diagnostics.isEmpty })
            if let expected = expectation.expression {
                let located = errors.filter { $0.expression.contains(expected) }
                #expect(!located.isEmpty, "\(row.path): no error at \(expected); got \(errors.map(\.expression))")
                #expect(located.contains { $0.code == expectation.code })
            } else if contentType == nil {
                #expect(errors.contains { $0.code == expectation.code || $0.code == .structure })
            }
            let json = FHIRFixtures.json(rejection.outcome.jsonBytes())
            #expect(json["resourceType"] as? String == "OperationOutcome")
        }
    }

    @Test func syntaxErrorIsLocatedByLineWithoutQuotingTheBody() throws {
        let url = FHIRFixtures.root.appendingPathComponent(
            "invalid/ms-fhir-server/Normative/Bundle-TransactionWithInvalidBundleEntry.json")
        let rejection = try #require(FHIRIntake.process(FHIRFixtures.bytes(url), contentType: nil).rejection)
        let diagnostics = try #require(rejection.outcome.issues.first?.diagnostics)
        #expect(diagnostics.contains("line 39"))
        #expect(!diagnostics.contains("status"))
    }

    @Test func batchWithInvalidEnumsReportsEveryUnknownElement() throws {
        let url = FHIRFixtures.root.appendingPathComponent(
            "invalid/ms-fhir-server/Normative/Bundle-BatchWithInvalidEleEnums.json")
        let rejection = try #require(FHIRIntake.process(FHIRFixtures.bytes(url), contentType: nil).rejection)
        let expressions = Set(rejection.outcome.issues.flatMap(\.expression))
        for expected in [
            "Bundle.entry[0].resource.gender1", "Bundle.entry[0].resource.birthDate1",
            "Bundle.entry[2].resource.gender1", "Bundle.entry[4].resource.name[0].use1",
        ] {
            #expect(expressions.contains(expected))
        }
    }
}
