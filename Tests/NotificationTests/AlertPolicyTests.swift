import Foundation
import Notification
import Testing

/// The policy file: the shipped policy loads, the built-in copy is the same text, the hash ignores layout but not
/// content, and every kind of mistake stops start-up naming the file and the condition or rule.
@Suite struct AlertPolicyTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let shippedPath = root.appendingPathComponent("config/notify/alert-policy.yaml").path

    @Test func theShippedPolicyLoadsAndTheBuiltInCopyIsTheSame() throws {
        let file = try AlertPolicyLoader.load(path: Self.shippedPath)
        let builtIn = try AlertPolicyLoader.builtIn()
        #expect(builtIn == file)
        #expect(builtIn.hash == file.hash)
        #expect(builtIn.hash.hasPrefix("sha256:") && builtIn.hash.count == 71)
        let text = try String(contentsOfFile: Self.shippedPath, encoding: .utf8)
        #expect(
            BuiltInAlertPolicy.yaml + "\n" == text, "the built-in copy drifted from config/notify/alert-policy.yaml")
    }

    @Test func theShippedPolicyMatchesWhatInferenceEmits() throws {
        let policy = try AlertPolicyLoader.builtIn()
        #expect(policy.name == "ward-default" && policy.version == "1.0")
        let remind = policy.defaults.remind
        #expect(remind.first == .minutes(30) && remind.factor == 2 && remind.max == .hours(4))
        #expect(policy.defaults.snooze.allowedFor == [.low, .medium, .high])
        let news2 = try #require(policy.condition(id: "news2"))
        #expect(news2.models.map(\.id) == ["news2"] && news2.models.map(\.versions) == [["rcp-2017.*"]])
        #expect(news2.clear.below == 4 && news2.clear.for == .minutes(30))
        let sepsis = try #require(policy.condition(id: "sepsis"))
        #expect(sepsis.score == "sepsis-risk" && sepsis.models.first?.id == "sepsis-lgbm")
        #expect(sepsis.rules.map(\.when.score?.gte) == [0.05, 0.02])
        #expect(policy.routedLadder(unit: "ICU-2") == "icu")
        #expect(policy.routedLadder(unit: "WARD-7") == "ward")
        #expect(policy.routedLadder(unit: nil) == "ward")
    }

    @Test func theHashIgnoresCommentsKeyOrderAndUnitsButNotContent() throws {
        let base = try AlertPolicyLoader.builtIn()
        let relaid = Self.mutated("# Vigil alert policy", "# another comment\n# Vigil alert policy")
            .replacingOccurrences(
                of: "remind: {first: 30m, factor: 2, max: 4h}", with: "remind: {max: 240m, factor: 2.0, first: 30m}"
            )
            .replacingOccurrences(
                of: "{id: news2.urgent,  when: {score: {gte: 7}}, severity: critical}",
                with: "{severity: critical, when: {score: {gte: 7.0}}, id: news2.urgent}"
            )
            .replacingOccurrences(
                of: "metadata: {name: ward-default, version: \"1.0\"}",
                with: "metadata:\n  version: \"1.0\"\n  name: ward-default")
        #expect(try AlertPolicyLoader.parse(relaid).hash == base.hash)
        let changed = Self.mutated("{score: {gte: 0.05}}", "{score: {gte: 0.06}}")
        #expect(try AlertPolicyLoader.parse(changed).hash != base.hash)
    }

    static func mutated(_ old: String, _ new: String) -> String {
        precondition(BuiltInAlertPolicy.yaml.contains(old), old)
        return BuiltInAlertPolicy.yaml.replacingOccurrences(of: old, with: new)
    }

    static let news2Rule3 = "{id: news2.single3, when: {anyPart: {gte: 3}}, severity: high}"

    @Test(arguments: [
        (mutated("kind: AlertPolicy", "kind: AlertPolicy\ncolour: red"), "policy test.yaml: unknown key colour"),
        (mutated("overrideHold: 8h", "overrideHold: 8h\n  snoozeForever: true"), "defaults: unknown key snoozeForever"),
        (
            mutated(news2Rule3, "{id: news2.single3, when: {anyPart: {gt: 3}}, severity: high}"),
            "condition #1 (id: news2) rule #3 (id: news2.single3) when.anyPart: unknown key gt"
        ),
        (
            mutated(news2Rule3, "{id: news2.single3, when: {anyPart: {gte: 3}}, severity: high, page: no}"),
            "condition #1 (id: news2) rule #3 (id: news2.single3): unknown key page"
        ),
        (
            mutated("apiVersion: vigil.notify/v1", "apiVersion: vigil.notify/v2"),
            "apiVersion must be vigil.notify/v1 and kind AlertPolicy"
        ),
        (mutated("kind: AlertPolicy", "kind: DeidPolicy"), "apiVersion must be vigil.notify/v1 and kind AlertPolicy"),
        (mutated("  - id: sepsis\n", "  - id: news2\n"), "condition #2 (id: news2): id news2 is used twice"),
        (
            mutated("{id: aki.stage2,", "{id: news2.review,"),
            "condition #3 (id: aki) rule #2 (id: news2.review): id news2.review is used twice"
        ),
        (
            mutated(news2Rule3, "{id: news2.single3, when: {anyPart: {gte: 3}}, severity: urgent}"),
            "condition #1 (id: news2) rule #3 (id: news2.single3): unknown severity urgent"
        ),
        (
            mutated(
                "snooze: {max: 60m, allowedFor: [low, medium, high]}", "snooze: {max: 60m, allowedFor: [low, severe]}"),
            "defaults.snooze.allowedFor: unknown severity severe"
        ),
        (
            mutated(
                "{after: 30m, targets: [outreach-team], raiseSeverityTo: critical}",
                "{after: 30m, targets: [outreach-team], raiseSeverityTo: extreme}"),
            "ladder ward step #3 raiseSeverityTo: unknown severity extreme"
        ),
        (mutated("expireAfter: 12h", "expireAfter: 0h"), "defaults.expireAfter: duration 0h must be positive"),
        (mutated("expireAfter: 12h", "expireAfter: 12 hours"), "defaults.expireAfter: duration must be a whole number"),
        (
            mutated("clear: {below: 4, for: 30m}", "clear: {below: 4, for: -30m}"),
            "condition #1 (id: news2) clear.for: duration must be"
        ),
        (
            mutated("{score: {gte: 0.05}}", "{score: {gte: .inf}}"),
            "condition #2 (id: sepsis) rule #1 (id: sepsis.high) when.score.gte: threshold must be finite"
        ),
        (
            mutated("clear: {below: 0.01, for: 2h}", "clear: {below: .nan, for: 2h}"),
            "condition #2 (id: sepsis) clear.below: threshold must be finite"
        ),
        (
            mutated("clear: {below: 4, for: 30m}", "clear: {below: 5, for: 30m}"),
            "condition #1 (id: news2) rule #2 (id: news2.review): clear.below 5.0 must be strictly below the threshold 5.0"
        ),
        (
            mutated(
                "{id: aki.stage2, when: {score: {gte: 2}}, severity: medium, ladder: none}",
                "{id: aki.stage2, when: {score: {gte: 2}}, severity: medium, ladder: night}"),
            "condition #3 (id: aki) rule #2 (id: aki.stage2): ladder night is not defined"
        ),
        (
            mutated("{units: [\"ICU*\"], ladder: icu}", "{units: [\"ICU*\"], ladder: itu}"),
            "route #1: ladder itu is not defined"
        ),
        (
            mutated(
                "  icu:\n    - {after: 0m,  targets: [ward-doctor]}\n    - {after: 10m, targets: [rapid-response]}",
                "  icu: []"), "ladder icu: is empty"
        ),
        (
            mutated("{after: 30m, targets: [outreach-team]", "{after: 15m, targets: [outreach-team]"),
            "ladder ward step #3: after must be later than the step before"
        ),
        (
            mutated("{after: 10m, targets: [rapid-response]}", "{after: 10m, targets: [crash-team]}"),
            "ladder icu step #2: unknown target crash-team"
        ),
        (
            mutated("  - {units: [\"*\"], ladder: ward}", "  - {units: [\"WARD*\"], ladder: ward}"),
            "routes: the last route must match every unit (`*`)"
        ),
        (mutated("snooze: {max: 60m,", "snooze: {max: 5h,"), "defaults.snooze.max: must be at most 4h"),
        (
            mutated("allowedFor: [low, medium, high]", "allowedFor: [low, medium, high, critical]"),
            "defaults.snooze.allowedFor: critical alerts may never be snoozed"
        ),
        (
            mutated(
                "models: [{id: kdigo, versions: [\"kdigo-2012.*\"]}]\n    score: kdigo",
                "models: [{id: news2, versions: [\"9.*\"]}]\n    score: news2"),
            "condition #3 (id: aki): model news2 with score news2 is already in condition news2"
        ),
        (
            mutated(
                "  - {id: news2.review,  when: {score: {gte: 5}}, severity: high}\n",
                "  - {id: news2.review,  when: {}, severity: high}\n"),
            "condition #1 (id: news2) rule #2 (id: news2.review): when needs score or anyPart"
        ),
    ])
    func mistakesStopStartUpNamingTheRule(yaml: String, expected: String) {
        do {
            _ = try AlertPolicyLoader.parse(yaml, source: "test.yaml")
            Issue.record("policy should have been refused: \(expected)")
        } catch {
            #expect(error.code == .policyError)
            #expect(error.description.contains("policy test.yaml: "))
            #expect(error.description.contains(expected), "\(error.description)")
        }
    }

    @Test func anUnreadableFileNamesThePath() {
        #expect(throws: AlertPolicyError.self) { try AlertPolicyLoader.load(path: "/nonexistent/alert-policy.yaml") }
    }

    /// The PHI boundary as a module rule: the notification library must never link identified types.
    @Test func notificationDoesNotDependOnVigilPHI() throws {
        let manifest = try String(contentsOf: Self.root.appendingPathComponent("Package.swift"), encoding: .utf8)
        // The `service("Notification", …)` call, however it is wrapped: up to the next `+` of the target list.
        let start = try #require(manifest.range(of: "\"Notification\", exe: \"vigil-notify\""))
        let end = manifest.range(of: "\n        + ", range: start.upperBound..<manifest.endIndex)?.lowerBound ?? manifest.endIndex
        let call = manifest[start.lowerBound..<end]
        #expect(call.contains("extra:"))
        #expect(!call.contains("VigilPHI"))
        #expect(!call.contains("Deidentification") && !call.contains("Ingestion"))
    }
}
