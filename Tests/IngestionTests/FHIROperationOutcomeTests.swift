import Foundation
import Ingestion
import Testing

/// The `OperationOutcome` JSON returned to senders, and the dead-letter reason derived from it.
@Suite struct FHIROperationOutcomeTests {
    @Test func rejectionSerialisesAsAnR4OperationOutcome() throws {
        let body = Array(#"{"resourceType":"Observation","status":"done","code":{"text":"x"},"subject":{"reference":"Patient/1"},"issued":"2024-01-01T00:00:00Z"}"#.utf8)
        let rejection = try #require(FHIRIntake.process(body, contentType: nil).rejection)
        let json = FHIRFixtures.json(rejection.outcome.jsonBytes())
        #expect(json["resourceType"] as? String == "OperationOutcome")
        let issues = try #require(json["issue"] as? [[String: Any]])
        let issue = try #require(issues.first)
        #expect(issue["severity"] as? String == "error")
        #expect(issue["code"] as? String == "code-invalid")
        #expect(issue["expression"] as? [String] == ["Observation.status"])
        #expect((issue["diagnostics"] as? String)?.contains("registered, preliminary, final") == true)
        #expect(rejection.deadLetterReason.code == "validation_failed")
        #expect(rejection.deadLetterReason.detail.hasSuffix(" at Observation.status"))
    }

    @Test func acceptedMessagesWithoutIssuesSayAllOK() throws {
        let body = Array(#"{"resourceType":"Patient","id":"p1","gender":"male"}"#.utf8)
        let acceptance = try #require(FHIRIntake.process(body, contentType: nil).acceptance)
        let issues = try #require(FHIRFixtures.json(acceptance.outcome.jsonBytes())["issue"] as? [[String: Any]])
        #expect(issues.count == 1)
        #expect(issues.first?["severity"] as? String == "information")
    }

    @Test func issuesAreCappedWithACountOfTheRest() throws {
        var patient: [String: Any] = ["resourceType": "Patient"]
        for index in 0..<250 { patient["unknown\(index)"] = true }
        let rejection = try #require(FHIRIntake.process(FHIRFixtures.data(patient), contentType: nil).rejection)
        #expect(rejection.outcome.issues.count == 101)
        let last = try #require(rejection.outcome.issues.last)
        #expect(last.code == .tooCostly)
        #expect(last.diagnostics.hasPrefix("150 "))
    }

    @Test func issueOrderIsDeterministic() throws {
        let body = Array(#"{"resourceType":"Patient","b1":1,"a1":2,"gender":"x","c1":3}"#.utf8)
        let first = try #require(FHIRIntake.process(body, contentType: nil).rejection)
        let second = try #require(FHIRIntake.process(body, contentType: nil).rejection)
        #expect(first.outcome.jsonBytes() == second.outcome.jsonBytes())
        #expect(first.outcome.issues.flatMap(\.expression) == ["Patient.a1", "Patient.b1", "Patient.c1", "Patient.gender"])
    }
}
