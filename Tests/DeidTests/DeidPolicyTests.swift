import Deidentification
import Foundation
import Testing

/// The policy file: the shipped Safe Harbor policy loads, the config copy is the same policy, the hash ignores
/// layout but not content, and every kind of mistake stops start-up naming the rule.
@Suite struct DeidPolicyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test func theShippedPolicyLoadsAndTheConfigCopyIsTheSamePolicy() throws {
        let builtIn = try DeidPolicyLoader.parse(SafeHarborPolicy.yaml)
        let file = try DeidPolicyLoader.load(path: Self.root.appendingPathComponent("config/deid/safe-harbor.yaml").path)
        #expect(builtIn == file)
        #expect(builtIn.hash == file.hash)
        #expect(builtIn.hash.hasPrefix("sha256:") && builtIn.hash.count == 71)
        #expect(builtIn.profile == .safeHarbor)
        #expect(builtIn.parameters.restrictedZip3.contains("036"))
    }

    @Test func theHashIgnoresCommentsAndLayoutButNotContent() throws {
        let base = try DeidPolicyLoader.parse(SafeHarborPolicy.yaml)
        let reformatted = try DeidPolicyLoader.parse("# another comment\n" + SafeHarborPolicy.yaml.replacingOccurrences(of: "\n  - {", with: "\n  -   {"))
        #expect(reformatted.hash == base.hash)
        let changed = try DeidPolicyLoader.parse(
            SafeHarborPolicy.yaml.replacingOccurrences(of: "minDays: -365", with: "minDays: -300"))
        #expect(changed.hash != base.hash)
    }

    static func mutated(_ old: String, _ new: String) -> String {
        precondition(SafeHarborPolicy.yaml.contains(old), old)
        return SafeHarborPolicy.yaml.replacingOccurrences(of: old, with: new)
    }

    @Test(arguments: [
        (mutated("path: patient.sex,", "path: patient.gender,"), "rule #5 (id: sex) unknown path patient.gender"),
        (mutated("path: patient.sex, action: keep", "path: patient.sex, action: obliterate"), "rule #5 (id: sex) unknown action"),
        (mutated("path: encounter, action: cryptoHash", "path: encounter, action: dateShift"), "rule #9 (id: encounter) dateShift does not apply to encounter"),
        (mutated("action: generalize, method: zip3", "action: generalize"), "rule #6 (id: zip) generalize needs a method"),
        (mutated("path: \"patient.names[*]\", action: redact", "path: \"patient.names[*]\", action: keep"), "profile safeHarbor: rule (id: names) keeps patient.names"),
        (mutated("{id: telecoms, path: \"patient.telecoms[*]\", action: redact}", "{id: telecoms, path: \"patient.telecoms[*]\", action: redact, colour: red}"), "rule #8 (id: telecoms) unknown key colour"),
        (mutated("{id: sex,", "{id: names,"), "rule id names is used twice"),
        (mutated("  - {id: patient, path: patient, action: pseudonymize}\n", ""), "exactly one rule must pseudonymize"),
        (mutated("  - {id: telecoms, path: \"patient.telecoms[*]\", action: redact}\n", ""), "profile safeHarbor: patient.telecoms needs a rule"),
        (mutated("apiVersion: vigil.deid/v1", "apiVersion: vigil.deid/v9"), "apiVersion must be vigil.deid/v1"),
        (mutated("\"036\"", "36"), "restrictedZip3"),
    ])
    func mistakesStopStartUpNamingTheRule(yaml: String, expected: String) {
        do {
            _ = try DeidPolicyLoader.parse(yaml, source: "test.yaml")
            Issue.record("policy should have been refused: \(expected)")
        } catch {
            #expect(error.code == .policyError)
            #expect(error.description.contains("policy test.yaml"))
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func aCustomProfileMayKeepFields() throws {
        let custom = try DeidPolicyLoader.parse(
            Self.mutated("profile: safeHarbor", "profile: custom").replacingOccurrences(
                of: "path: \"patient.names[*]\", action: redact", with: "path: \"patient.names[*]\", action: keep"))
        #expect(custom.rule(for: .names)?.action == .keep)
    }
}
