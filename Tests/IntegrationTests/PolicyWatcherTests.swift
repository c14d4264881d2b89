import Foundation
import Notification
import ServiceLifecycle
import Testing
import VigilModelCore

/// The engine follows the policy version in force: never a proposed or not-yet-effective one, the approved one
/// from its effective time, the previous one after a rollback, and all of it while the service runs.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct PolicyWatcherTests {
    @Test func anUnapprovedOrNotYetEffectiveVersionNeverTakesEffect() async throws {
        try await NotifyAPIHarness.with { api in
            let builtIn = try AlertPolicyLoader.builtIn()
            let watcher = PolicyWatcher(store: api.store, fallback: builtIn, logger: TestKafka.logger)
            let candidate = try CandidatePolicy.lowerReview()
            let start = Date()
            let number = try await api.propose(candidate)

            // Proposed only: the engine keeps the configured policy, and a NEWS2 of 4 does not alert.
            #expect(try await watcher.refresh(now: start) == false)
            #expect(api.store.engine.policyHash == builtIn.hash && watcher.activeVersion == nil)
            #expect(try await api.alerts(score: 4, patient: "w1", at: start) == false)

            // Approved for an hour from now: still not in force before then.
            let effective = start.addingTimeInterval(3600)
            let approved = try await api.approve(number, effectiveFrom: effective)
            #expect(approved.status == 200 && approved.json["current"] as? Bool == false, "\(approved.text)")
            #expect(try await watcher.refresh(now: start.addingTimeInterval(60)) == false)
            #expect(api.store.engine.policyHash == builtIn.hash)
            #expect(try await api.alerts(score: 4, patient: "w2", at: start.addingTimeInterval(60)) == false)
            #expect(try await api.audit("policy.activate").isEmpty)

            // From its effective time on, the same record alerts.
            let later = effective.addingTimeInterval(60)
            #expect(try await watcher.refresh(now: later))
            #expect(api.store.engine.policyHash == (try CandidatePolicy.hash(candidate)))
            #expect(watcher.activeVersion == number)
            #expect(try await api.alerts(score: 4, patient: "w3", at: later))
            let activations = try await api.audit("policy.activate")
            #expect(activations.count == 1 && activations[0].actor == "service:notify")
            #expect(activations[0].details.contains("\"version\":\"\(number)\""), "\(activations[0].details)")
            let recorded = try await api.database.pool.query(
                "SELECT name, version FROM notify.policies WHERE hash = \(try CandidatePolicy.hash(candidate))")
            let (name, label) = try #require(recorded.first).decode((String, String).self)
            #expect(name == "ward-default" && label == "1.1")
            #expect(try await watcher.refresh(now: later) == false, "nothing to do while the hash is the same")
        }
    }

    @Test func rollbackRestoresThePreviousVersion() async throws {
        try await NotifyAPIHarness.with { api in
            let builtIn = try AlertPolicyLoader.builtIn()
            let watcher = PolicyWatcher(store: api.store, fallback: builtIn, logger: TestKafka.logger)
            let first = try await api.propose(try CandidatePolicy.lowerReview())
            #expect(try await api.approve(first).status == 200)
            let second = try await api.propose(try CandidatePolicy.relabelled("1.2"), token: "t-admin2")
            #expect(try await api.approve(second, token: "t-admin").status == 200)
            try await watcher.refresh()
            #expect(api.store.engine.policyHash == (try CandidatePolicy.hash(try CandidatePolicy.relabelled("1.2"))))

            #expect(try await api.rollback(second).status == 200)
            try await watcher.refresh()
            #expect(api.store.engine.policyHash == (try CandidatePolicy.hash(try CandidatePolicy.lowerReview())))
            #expect(watcher.activeVersion == first)

            #expect(try await api.rollback(first).status == 200)
            try await watcher.refresh()
            #expect(api.store.engine.policyHash == builtIn.hash && watcher.activeVersion == nil)
            let activations = try await api.audit("policy.activate")
            #expect(activations.count == 3)
            #expect(activations.last?.details.contains("\"source\":\"configured\"") == true)
        }
    }

    @Test func theRunningServicePicksUpApprovalAndRollbackWithoutRestart() async throws {
        _ = TestMetrics.registry
        try await NotifyAPIHarness.with { api in
            let builtIn = try AlertPolicyLoader.builtIn()
            let candidate = try CandidatePolicy.lowerReview()
            let watcher = PolicyWatcher(
                store: api.store, fallback: builtIn, interval: .milliseconds(100), logger: TestKafka.logger)
            let group = ServiceGroup(services: [watcher], logger: TestKafka.logger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                do {
                    let number = try await api.propose(candidate)
                    try await Task.sleep(for: .milliseconds(300))
                    #expect(api.store.engine.policyHash == builtIn.hash, "a proposal alone changes nothing")

                    #expect(try await api.approve(number).status == 200)
                    let candidateHash = try CandidatePolicy.hash(candidate)
                    #expect(try await Self.waitFor { api.store.engine.policyHash == candidateHash })
                    #expect(try await api.alerts(score: 4, patient: "r1", at: Date()))
                    #expect(TestMetrics.text.contains("vigil_notify_policy_version"))

                    #expect(try await api.rollback(number).status == 200)
                    #expect(try await Self.waitFor { api.store.engine.policyHash == builtIn.hash })
                    #expect(try await api.alerts(score: 4, patient: "r2", at: Date()) == false)
                } catch {
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            #expect(try await api.audit("policy.activate").count == 2)
        }
    }

    @Test func aVersionWhoseYAMLNoLongerGivesTheApprovedHashIsNotApplied() async throws {
        try await NotifyAPIHarness.with { api in
            let builtIn = try AlertPolicyLoader.builtIn()
            let watcher = PolicyWatcher(store: api.store, fallback: builtIn, logger: TestKafka.logger)
            let report = "{\"kind\":\"ShadowReport\"}"
            // Written past the API, as a restore from an old backup or a hand edit might.
            _ = try await api.database.pool.execute(
                """
                INSERT INTO notify.policy_versions (version, name, label, yaml, hash, status, proposed_by, reason,
                  shadow_report, shadow_report_sha256, approved_by, approved_at, effective_at)
                VALUES (1, 'ward-default', '1.1', \(try CandidatePolicy.lowerReview()), \("sha256:" + String(repeating: "0", count: 64)),
                  'approved', 'user:a', 'written by hand', \(report), \(HexDigest.sha256(of: Array(report.utf8)).hex),
                  'user:b', now(), now())
                """)
            #expect(try await watcher.refresh() == false)
            #expect(api.store.engine.policyHash == builtIn.hash && watcher.activeVersion == nil)
        }
    }

    /// Polls `condition` for up to 10 s.
    static func waitFor(_ condition: () -> Bool) async throws -> Bool {
        for _ in 0..<200 {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return condition()
    }
}
