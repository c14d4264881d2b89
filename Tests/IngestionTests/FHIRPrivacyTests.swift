import Foundation
import Ingestion
import Testing

/// Diagnostics say what is wrong and where, never which value was sent: patient values taken from a Synthea
/// bundle are planted into invalid copies of it, and no `OperationOutcome` (nor dead-letter detail) may
/// contain them.
@Suite struct FHIRPrivacyTests {
    struct Canaries {
        let bundle: [String: Any]
        let values: [String]
        let patientIndex: Int
        let observationIndex: Int
        let family: String
        let mrn: String
    }

    static func canaries() throws -> Canaries {
        let url = try #require(FHIRFixtures.fixtureSynthea.first)
        let bundle = FHIRFixtures.json(FHIRFixtures.bytes(url))
        let entries = try #require(bundle["entry"] as? [[String: Any]])
        let patientIndex = try #require(entries.firstIndex { ($0["resource"] as? [String: Any])?["resourceType"] as? String == "Patient" })
        let observationIndex = try #require(entries.firstIndex { ($0["resource"] as? [String: Any])?["resourceType"] as? String == "Observation" })
        let patient = try #require(entries[patientIndex]["resource"] as? [String: Any])
        let name = try #require((patient["name"] as? [[String: Any]])?.first)
        let family = try #require(name["family"] as? String)
        var values = [family] + ((name["given"] as? [String]) ?? [])
        values += ((patient["identifier"] as? [[String: Any]]) ?? []).compactMap { $0["value"] as? String }
        values += ((patient["telecom"] as? [[String: Any]]) ?? []).compactMap { $0["value"] as? String }
        values += ((patient["address"] as? [[String: Any]]) ?? []).flatMap { ($0["line"] as? [String] ?? []) + [$0["city"] as? String ?? ""] }
        values.append(try #require(patient["birthDate"] as? String))
        let mrn = try #require((patient["identifier"] as? [[String: Any]])?.last?["value"] as? String)
        return Canaries(
            bundle: bundle, values: values.filter { $0.count >= 4 }, patientIndex: patientIndex,
            observationIndex: observationIndex, family: family, mrn: mrn)
    }

    /// Applies `change` to the resource of entry `index` (or to the bundle when nil).
    static func mutated(_ bundle: [String: Any], entry index: Int?, _ change: (inout [String: Any]) -> Void) -> [UInt8] {
        var copy = bundle
        if let index {
            var entries = copy["entry"] as? [[String: Any]] ?? []
            var resource = entries[index]["resource"] as? [String: Any] ?? [:]
            change(&resource)
            entries[index]["resource"] = resource
            copy["entry"] = entries
        } else {
            change(&copy)
        }
        return FHIRFixtures.data(copy)
    }

    @Test func noPatientValueAppearsInAnyOperationOutcome() throws {
        let c = try Self.canaries()
        #expect(c.values.count >= 6)
        let p = c.patientIndex
        let o = c.observationIndex
        let bodies: [(String, [UInt8])] = [
            ("invalid gender", Self.mutated(c.bundle, entry: p) { $0["gender"] = "not-a-gender" }),
            ("gender holding the surname", Self.mutated(c.bundle, entry: p) { $0["gender"] = c.family }),
            ("malformed birthDate", Self.mutated(c.bundle, entry: p) { $0["birthDate"] = c.mrn }),
            ("unknown element holding a name", Self.mutated(c.bundle, entry: p) { $0["nickname"] = c.family }),
            ("surname as an element name", Self.mutated(c.bundle, entry: p) { $0[c.family] = "x" }),
            ("MRN as an element name", Self.mutated(c.bundle, entry: p) { $0[c.mrn] = "x" }),
            ("name.use holding the surname", Self.mutated(c.bundle, entry: p) { resource in
                var names = resource["name"] as? [[String: Any]] ?? []
                names[0]["use"] = c.family
                resource["name"] = names
            }),
            ("telecom.system holding a phone number", Self.mutated(c.bundle, entry: p) { resource in
                var telecoms = resource["telecom"] as? [[String: Any]] ?? []
                telecoms[0]["system"] = telecoms[0]["value"]
                resource["telecom"] = telecoms
            }),
            ("identifier value as a number", Self.mutated(c.bundle, entry: p) { resource in
                var identifiers = resource["identifier"] as? [[String: Any]] ?? []
                identifiers[0]["value"] = 12_345
                resource["identifier"] = identifiers
            }),
            ("observation status holding the surname", Self.mutated(c.bundle, entry: o) { $0["status"] = c.family }),
            ("decimal as a string holding the MRN", Self.mutated(c.bundle, entry: o) { $0["valueQuantity"] = ["value": c.mrn] }),
            ("subject reference with the MRN, malformed", Self.mutated(c.bundle, entry: o) { $0["subject"] = ["reference": "Pat ient/" + c.mrn] }),
            ("subject reference to an unknown type", Self.mutated(c.bundle, entry: o) { $0["subject"] = ["reference": "Patientt/" + c.mrn] }),
            ("Bundle.type holding the surname", Self.mutated(c.bundle, entry: nil) { $0["type"] = c.family }),
            ("resourceType holding the surname", Self.mutated(c.bundle, entry: p) { $0["resourceType"] = c.family }),
            ("duplicate fullUrl", Self.mutated(c.bundle, entry: nil) { bundle in
                var entries = bundle["entry"] as? [[String: Any]] ?? []
                entries[o]["fullUrl"] = entries[p]["fullUrl"]
                bundle["entry"] = entries
            }),
            ("request url with the MRN", Self.mutated(c.bundle, entry: nil) { bundle in
                var entries = bundle["entry"] as? [[String: Any]] ?? []
                entries[o]["request"] = ["method": "PUT", "url": "Observation/" + c.mrn + " x"]
                bundle["entry"] = entries
            }),
        ]
        let rawText = String(decoding: FHIRFixtures.data(c.bundle), as: UTF8.self)
        let broken = rawText.replacingOccurrences(of: "\"\(c.family)\"", with: "\"\(c.family)\",,")
        for (label, body) in bodies + [("JSON syntax error after the surname", Array(broken.utf8))] {
            let result = FHIRIntake.process(body, contentType: "application/fhir+json")
            let rejection = try #require(result.rejection, "\(label): accepted")
            #expect((400..<500).contains(rejection.httpStatus), "\(label)")
            let text = FHIRFixtures.outcomeText(result) + rejection.deadLetterReason.detail
            for value in c.values {
                #expect(!text.contains(value), "\(label): OperationOutcome contains a patient value")
            }
        }
    }

    @Test func invalidGenderIsLocated() throws {
        let c = try Self.canaries()
        let body = Self.mutated(c.bundle, entry: c.patientIndex) { $0["gender"] = "not-a-gender" }
        let rejection = try #require(FHIRIntake.process(body, contentType: nil).rejection)
        #expect(rejection.httpStatus == 422)
        #expect(rejection.outcome.issues.contains {
            $0.code == .codeInvalid && $0.expression == ["Bundle.entry[\(c.patientIndex)].resource.gender"]
        })
    }
}
