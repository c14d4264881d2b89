import Foundation
import Notification
import Testing
import VigilModelCore
import VigilRuntime

/// Candidate policies for the policy-version tests: edits of the built-in YAML, so each differs from it in one
/// visible way.
enum CandidatePolicy {
    /// NEWS2 review lowered from 5 to 4 (clear below 3 keeps the hysteresis gap): a NEWS2 of 4 with no part at 3
    /// alerts under this policy and under no other here.
    static func lowerReview() throws -> String {
        try edit([
            "version: \"1.0\"": "version: \"1.1\"",
            "clear: {below: 4, for: 30m}": "clear: {below: 3, for: 30m}",
            "news2.review,  when: {score: {gte: 5}}": "news2.review,  when: {score: {gte: 4}}",
        ])
    }

    /// The built-in thresholds under another version label: another hash, the same alerts.
    static func relabelled(_ label: String) throws -> String {
        try edit(["version: \"1.0\"": "version: \"\(label)\""])
    }

    static func edit(_ replacements: [String: String]) throws -> String {
        var yaml = BuiltInAlertPolicy.yaml
        for (old, new) in replacements {
            try #require(yaml.contains(old), "the built-in policy no longer has \(old)")
            yaml = yaml.replacingOccurrences(of: old, with: new)
        }
        return yaml
    }

    static func hash(_ yaml: String) throws -> String { try AlertPolicyLoader.parse(yaml).hash }

    /// Stands in for `vigil shadow`'s report, which the API treats as an opaque JSON object.
    static var report: [String: Any] {
        [
            "kind": "ShadowReport", "window": ["from": "2024-05-01T00:00:00.000Z", "to": "2024-05-08T00:00:00.000Z"],
            "alerts": ["current": 12, "candidate": 17],
        ]
    }
}

extension NotifyAPIHarness {
    /// Proposes `yaml` as `token`; the new version's number (the proposal must succeed).
    func propose(
        _ yaml: String, token: String = "t-admin", reason: String = "NEWS2 review at 4 after the shadow replay"
    ) async throws -> Int {
        let reply = try await call(
            "POST", "/api/policies", token: token,
            json: ["yaml": yaml, "reason": reason, "shadowReport": CandidatePolicy.report])
        try #require(reply.status == 201, "\(reply.text)")
        return try #require(reply.json["version"] as? Int)
    }

    func approve(_ version: Int, token: String = "t-admin2", effectiveFrom: Date? = nil) async throws
        -> HTTP1Client.Response
    {
        var body: [String: Any] = [:]
        body["effectiveFrom"] = effectiveFrom.flatMap(Timestamp.format)
        return try await call("POST", "/api/policies/\(version)/approve", token: token, json: body)
    }

    func rollback(_ version: Int, token: String = "t-admin") async throws -> HTTP1Client.Response {
        try await call(
            "POST", "/api/policies/\(version)/rollback", token: token, json: ["reason": "alert burden too high"])
    }

    /// Decides a NEWS2 record of `score` with every part below 3 for `patient` in WARD1 at `time`; whether it
    /// raised an alert.
    func alerts(score: Double, patient: String, at time: Date) async throws -> Bool {
        let pseudonym = try Pseudonym.derive(
            assigningAuthority: "HOSP", patientID: patient, key: Array(repeating: 3, count: 32), keyID: "k1")
        let record = RiskRecord(
            id: EventID.derive(namespace: "policy-test", parts: [patient, String(time.timeIntervalSince1970)]),
            patient: pseudonym, model: Self.news2, scoreName: "news2", value: score,
            parts: ["news2.rr": 2, "news2.spo2": 2],
            inputEventIDs: [EventID.derive(namespace: "test", parts: [patient])],
            computedAt: time, eventTime: time, band: "medium", modelStatus: .active)
        let emitted = try await store.decide(record, context: RecordContext(unit: "WARD1"), now: time)
        return emitted.contains { $0.event.action == .raised }
    }

    /// The status of each version, by number.
    func statuses() async throws -> [Int: String] {
        let versions = try await call("GET", "/api/policies", token: "t-audit").json["versions"] as? [[String: Any]]
        return Dictionary(
            uniqueKeysWithValues: (versions ?? []).compactMap { entry in
                (entry["version"] as? Int).map { ($0, entry["status"] as? String ?? "") }
            })
    }
}
