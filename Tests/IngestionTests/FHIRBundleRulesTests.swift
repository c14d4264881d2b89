import Foundation
import Ingestion
import Testing

/// Bundle types, entry invariants, fullUrls and transaction/batch requests.
@Suite struct FHIRBundleRulesTests {
    static let patientURL = "urn:uuid:6fc92493-6bef-402a-bbba-d949f3812cc8"

    static var patient: [String: Any] {
        ["resourceType": "Patient", "identifier": [["system": "urn:oid:1.2.3", "value": "MRN1"]]]
    }

    static var observation: [String: Any] {
        [
            "resourceType": "Observation", "status": "final",
            "code": ["coding": [["system": "http://loinc.org", "code": "8867-4"]]],
            "subject": ["reference": patientURL], "effectiveDateTime": "2024-05-01T12:00:00Z",
        ]
    }

    static func entry(_ resource: [String: Any]?, fullUrl: String?, method: String? = "POST", url: String? = nil)
        -> [String: Any]
    {
        var entry: [String: Any] = [:]
        if let resource { entry["resource"] = resource }
        if let fullUrl { entry["fullUrl"] = fullUrl }
        if let method {
            entry["request"] = ["method": method, "url": url ?? (resource?["resourceType"] as? String ?? "Patient")]
        }
        return entry
    }

    static func bundle(_ type: String?, _ entries: [[String: Any]], extra: [String: Any] = [:]) -> [UInt8] {
        var bundle: [String: Any] = ["resourceType": "Bundle"]
        if !entries.isEmpty { bundle["entry"] = entries }  // FHIR JSON has no empty arrays
        if let type { bundle["type"] = type }
        for (key, value) in extra { bundle[key] = value }
        return FHIRFixtures.data(bundle)
    }

    static var transaction: [[String: Any]] {
        [
            entry(patient, fullUrl: patientURL),
            entry(observation, fullUrl: "urn:uuid:70aedfe9-ad6e-4664-945a-81779945dd90"),
        ]
    }

    static func errors(_ body: [UInt8]) -> [FHIROperationOutcome.Issue] {
        FHIRIntake.process(body, contentType: nil).rejection?.outcome.issues.filter(\.isError) ?? []
    }

    @Test(arguments: ["transaction", "batch"])
    func requestBundlesAreAccepted(type: String) throws {
        let acceptance = try #require(FHIRIntake.process(Self.bundle(type, Self.transaction), contentType: nil).acceptance)
        #expect(acceptance.bundleType == type)
        #expect(acceptance.events.count == 1)
    }

    @Test(arguments: ["collection", "searchset"])
    func collectionsAreAcceptedWithoutRequests(type: String) throws {
        let entries = Self.transaction.map { $0.filter { $0.key != "request" } }
        let acceptance = try #require(FHIRIntake.process(Self.bundle(type, entries), contentType: nil).acceptance)
        #expect(acceptance.events.count == 1)
    }

    @Test(arguments: ["history", "transaction-response", "batch-response"])
    func responsesAndHistoryAreNotSupported(type: String) throws {
        let rejection = try #require(FHIRIntake.process(Self.bundle(type, []), contentType: nil).rejection)
        #expect(rejection.reason == .unsupportedMessage)
        #expect(rejection.outcome.issues.contains { $0.code == .notSupported && $0.expression == ["Bundle.type"] })
    }

    @Test func bundleTypeIsRequiredAndCoded() {
        #expect(Self.errors(Self.bundle(nil, [])).contains { $0.code == .required && $0.expression == ["Bundle.type"] })
        #expect(Self.errors(Self.bundle("bag", [])).contains { $0.code == .codeInvalid && $0.expression == ["Bundle.type"] })
    }

    @Test func entryInvariants() {
        // bdl-3: request required in a transaction, prohibited in a collection.
        var noRequest = Self.transaction
        noRequest[1]["request"] = nil
        #expect(Self.errors(Self.bundle("transaction", noRequest)).contains { $0.expression == ["Bundle.entry[1].request"] })
        #expect(Self.errors(Self.bundle("collection", Self.transaction)).contains { $0.expression == ["Bundle.entry[0].request"] })
        // bdl-5: something in the entry.
        #expect(Self.errors(Self.bundle("collection", [["fullUrl": Self.patientURL]])).contains {
            $0.expression == ["Bundle.entry[0]"]
        })
        // bdl-2: search only in a searchset.
        var search = Self.transaction
        search[0]["search"] = ["mode": "match"]
        #expect(Self.errors(Self.bundle("transaction", search)).contains { $0.expression == ["Bundle.entry[0].search"] })
        // bdl-1: total only in a searchset or history.
        #expect(Self.errors(Self.bundle("transaction", Self.transaction, extra: ["total": 2])).contains {
            $0.expression == ["Bundle.total"]
        })
    }

    @Test func fullUrlsMustBeWellFormedAndUniqueExceptInBatches() {
        var entries = Self.transaction
        entries[1]["fullUrl"] = Self.patientURL
        #expect(Self.errors(Self.bundle("transaction", entries)).contains {
            $0.code == .duplicate && $0.expression == ["Bundle.entry[1].fullUrl"]
        })
        // Batch entries are independent requests: a repeated fullUrl is not an error there.
        #expect(FHIRIntake.process(Self.bundle("batch", entries), contentType: nil).acceptance != nil)
        entries = Self.transaction
        entries[0]["fullUrl"] = "urn:uuid:patient-001"
        #expect(Self.errors(Self.bundle("transaction", entries)).contains { $0.expression == ["Bundle.entry[0].fullUrl"] })
        entries[0]["fullUrl"] = "http://x.org/fhir/Patient/1/_history/2"
        #expect(Self.errors(Self.bundle("transaction", entries)).contains { $0.expression == ["Bundle.entry[0].fullUrl"] })
    }

    @Test func collectionFullUrlsMustAgreeWithTheResource() {
        var patient = Self.patient
        patient["id"] = "p1"
        let entries: [[String: Any]] = [["fullUrl": "http://x.org/fhir/Patient/p2", "resource": patient]]
        #expect(Self.errors(Self.bundle("collection", entries)).contains { $0.expression == ["Bundle.entry[0].fullUrl"] })
    }

    @Test func requestMethodsAndURLsAreValidated() {
        func errors(method: String, url: String, resource: [String: Any]? = Self.patient) -> [String] {
            Self.errors(Self.bundle("transaction", [Self.entry(resource, fullUrl: nil, method: method, url: url)]))
                .flatMap(\.expression)
        }
        #expect(errors(method: "FETCH", url: "Patient").contains("Bundle.entry[0].request.method"))
        #expect(errors(method: "PUT", url: "Patient/").contains("Bundle.entry[0].request.url"))
        #expect(errors(method: "PUT", url: "Patient").contains("Bundle.entry[0].request.url"))
        #expect(errors(method: "POST", url: "Patient/1").contains("Bundle.entry[0].request.url"))
        #expect(errors(method: "POST", url: "Observation").contains("Bundle.entry[0].request.url"))
        #expect(errors(method: "POST", url: "Patientt").contains("Bundle.entry[0].request.url"))
        #expect(errors(method: "POST", url: "http://x.org/fhir/Patient").contains("Bundle.entry[0].request.url"))
        #expect(errors(method: "PUT", url: "Patient/1", resource: nil).contains("Bundle.entry[0].request"))
    }

    @Test func requestsVigilDoesNotExecuteAreIgnoredWithAWarning() throws {
        let entries = Self.transaction + [
            Self.entry(nil, fullUrl: nil, method: "DELETE", url: "Patient/234"),
            Self.entry(nil, fullUrl: nil, method: "GET", url: "Patient?name=x"),
        ]
        let acceptance = try #require(FHIRIntake.process(Self.bundle("transaction", entries), contentType: nil).acceptance)
        #expect(acceptance.events.count == 1)
        #expect(acceptance.coverage.resourceCount("Patient", .ignored) == 2)
        #expect(acceptance.outcome.issues.filter { $0.severity == .warning }.flatMap(\.expression) == [
            "Bundle.entry[2]", "Bundle.entry[3]",
        ])
    }

    @Test func aTransactionWithNothingToIngestIsRefused() throws {
        let entries = [
            Self.entry(nil, fullUrl: nil, method: "DELETE", url: "Patient?identifier=1"),
            Self.entry(["resourceType": "Parameters"], fullUrl: nil, method: "POST", url: "ValueSet/$lookup"),
        ]
        let rejection = try #require(FHIRIntake.process(Self.bundle("transaction", entries), contentType: nil).rejection)
        #expect(rejection.reason == .unsupportedMessage)
        let expressions = rejection.outcome.issues.flatMap(\.expression)
        #expect(expressions.contains("Bundle.entry[0].request.method"))
        #expect(expressions.contains("Bundle.entry[1].request.url"))
        // An empty transaction is valid FHIR and simply yields nothing.
        #expect(FHIRIntake.process(Self.bundle("transaction", []), contentType: nil).acceptance?.events == [])
    }

    @Test func documentsAndMessagesNeedTheirFirstResource() {
        let entries = Self.transaction.map { $0.filter { $0.key != "request" } }
        let document = Self.errors(Self.bundle("document", entries)).flatMap(\.expression)
        #expect(Set(document) == ["Bundle.entry", "Bundle.identifier", "Bundle.timestamp"])
        #expect(Self.errors(Self.bundle("message", entries)).flatMap(\.expression) == ["Bundle.entry"])
    }

    @Test func otherResourceTypesInBundlesAreCountedAsIgnored() throws {
        let condition: [String: Any] = ["resourceType": "Condition", "subject": ["reference": Self.patientURL]]
        let entries = Self.transaction + [Self.entry(condition, fullUrl: "urn:uuid:11435f74-b0e9-4481-ac2d-e2d5f8202a7f")]
        let acceptance = try #require(FHIRIntake.process(Self.bundle("transaction", entries), contentType: nil).acceptance)
        #expect(acceptance.coverage.resourceCount("Condition", .ignored) == 1)
        #expect(acceptance.coverage.resourceCount("Observation", .mapped) == 1)
        #expect(acceptance.coverage.resourceCount("Patient", .mapped) == 1)
        // …but an unknown type inside a bundle is an error.
        let unknown = Self.entry(["resourceType": "Conditionn"], fullUrl: nil)
        #expect(Self.errors(Self.bundle("transaction", Self.transaction + [unknown])).contains {
            $0.expression == ["Bundle.entry[2].resource.resourceType"]
        })
    }
}
