import Foundation
import Inference
import Notification
import Testing
import VigilAudit
import VigilModelCore

extension EvidencePackTests {
    /// Real activity through the store, the API and the registry. Patients are pseudonyms of `MRN-EV-*` numbers;
    /// sepsis records and outcomes carry clinical times far from the wall clock, as de-identification shifts them.
    static func plant(_ api: NotifyAPIHarness, from: Date) async throws -> Planted {
        let pool = api.database.pool
        var planted = Planted()
        let registry = ModelRegistry(pool: pool, audit: AuditLog(pool: pool))
        try await registry.register(
            NotifyAPIHarness.news2, kind: "bedside-score", card: "NEWS2 (RCP 2017).", status: .active)
        try await registry.register(
            sepsis, kind: "tree-ensemble", card: "Sepsis risk, gradient boosting.", status: .active)

        // Art. 14: an acknowledgement, an override with a coded reason and text, a snooze (API, audited).
        let acknowledged = try await api.raise(unit: "ICU1", patient: "MRN-EV-A")
        let overridden = try await api.raise(unit: "ICU1", patient: "MRN-EV-B")
        let snoozed = try await api.raise(unit: "ICU1", patient: "MRN-EV-C")
        try await expectOK(api, "/api/alerts/\(acknowledged.rawValue)/acknowledge", "t-icu", [:])
        try await expectOK(
            api, "/api/alerts/\(overridden.rawValue)/override", "t-icu",
            ["reasonCode": "other", "text": "comfort care agreed with the family", "revision": 1])
        try await expectOK(api, "/api/alerts/\(snoozed.rawValue)/snooze", "t-icu", ["minutes": 30])
        planted.revealSeq = try await AuditLog(pool: pool).append(
            actor: "user:nurse-icu", action: "alert.reveal_grant", subject: "alert:\(acknowledged.rawValue)",
            reason: "confirming the patient before handover", details: ["ttlSeconds": "300"]
        ).seq

        // Sepsis: detected in time (s1), never alerted (s2), alerted 6 h after onset (s4), retracted outcome (s3).
        let clinical = Date(timeIntervalSince1970: 1_930_000_000)  // 2031: shifted clinical time
        let s1 = try await sepsisAlert("MRN-EV-S1", value: 0.06, at: clinical, api)
        _ = try await sepsisAlert("MRN-EV-S2", value: 0.001, at: clinical, api)
        let s4 = try await sepsisAlert("MRN-EV-S4", value: 0.06, at: clinical, api)
        let outcomes = OutcomeStore(pool: pool)
        _ = try await outcome("MRN-EV-S1", onset: clinical.addingTimeInterval(3600), outcomes)
        planted.missedOutcome = try await outcome("MRN-EV-S2", onset: clinical.addingTimeInterval(7200), outcomes)
        planted.lateOutcome = try await outcome("MRN-EV-S4", onset: clinical.addingTimeInterval(-6 * 3600), outcomes)
        planted.lateAlert = try #require(s4).rawValue
        #expect(s1 != nil)
        // No live model decides AKI here: its outcome is counted, not listed as a missed alert.
        _ = try await outcome("MRN-EV-K1", onset: clinical, outcomes, condition: "aki")
        let retracted = try await outcome("MRN-EV-S3", onset: clinical, outcomes)
        try await outcomes.revise(
            try #require(EventID(retracted)),
            with: ClinicalEvent(
                patient: try pseudonym("MRN-EV-S3"), kind: .retraction, revises: EventID(retracted),
                code: ClinicalOutcome.diagnosis, effectiveTime: clinical, recordedTime: clinical,
                source: EventSource(system: "test", messageControlID: "retract-s3", position: 0)))

        // The stop switch: news2 stopped, an alert raised anyway (the planted failure), restarted, one more alert.
        try await expectOK(api, "/api/models/news2/stop", "t-admin", ["reason": "scores wrong after a firmware update"])
        planted.alertOnStoppedModel = try await api.raise(unit: "ICU1", patient: "MRN-EV-D").rawValue
        try await expectOK(api, "/api/models/news2/restart", "t-admin", ["reason": "firmware fixed and re-validated"])
        let after = try await api.raise(unit: "ICU1", patient: "MRN-EV-E")
        try await api.store.apply(
            .human(actor: "user:dr-b", action: .override(reasonCode: "patient-not-at-risk", text: nil), revision: nil),
            to: .alert(after))

        // Art. 72: two of news2's five alerts overridden cross a (deployer-set) critical override rate of 0.35.
        var thresholds = MonitoringThresholds()
        thresholds.minimumAlerts = 3
        thresholds.overrideRateCritical = 0.35
        // Drift and cohort figures stay out of it: one short window is its own baseline.
        thresholds.psiWarning = 10
        thresholds.psiCritical = 10
        thresholds.cohortAlertRatio = 100
        let raised = try await SafetyMonitor(pool: pool, thresholds: thresholds).compute(from: from, to: Date())
        #expect(raised.map { "\($0.modelID) \($0.metric) \($0.severity)" } == ["news2 override_rate critical"])
        planted.criticalGovernanceAlert = try #require(raised.first).id.rawValue
        planted.pseudonyms = try ["MRN-EV-A", "MRN-EV-B", "MRN-EV-C", "MRN-EV-D", "MRN-EV-E", "MRN-EV-S2", "MRN-EV-S4"]
            .map { try pseudonym($0).rawValue }
        return planted
    }

    static func expectOK(_ api: NotifyAPIHarness, _ path: String, _ token: String, _ json: [String: Any]) async throws {
        let reply = try await api.call("POST", path, token: token, json: json)
        #expect(reply.status == 200, "\(path): \(reply.text)")
    }

    /// A sepsis risk record decided now with clinical time `time`; returns the alert it raised, if any.
    static func sepsisAlert(_ mrn: String, value: Double, at time: Date, _ api: NotifyAPIHarness) async throws
        -> EventID?
    {
        let patient = try pseudonym(mrn)
        let record = RiskRecord(
            id: EventID.derive(namespace: "evidence-test", parts: [patient.rawValue]), patient: patient, model: sepsis,
            scoreName: "sepsis-risk", value: value, inputEventIDs: [], computedAt: Date(), eventTime: time,
            modelStatus: .active)
        let emitted = try await api.store.decide(record, context: RecordContext(unit: "ICU1"))
        return emitted.first { $0.event.action == .raised }?.event.alertID
    }

    /// A confirmed diagnosis (sepsis unless said) as notify stores it; returns its event id.
    static func outcome(
        _ mrn: String, onset: Date, _ store: OutcomeStore, condition: String = "sepsis"
    ) async throws -> String {
        let event = ClinicalEvent(
            patient: try pseudonym(mrn), kind: .observation, code: ClinicalOutcome.diagnosis,
            value: .coded(Coding(system: Coding.System.snomedCT, code: "91302008")), effectiveTime: onset,
            recordedTime: onset, source: EventSource(system: "test", messageControlID: mrn, position: 0))
        try await store.record(event, condition: condition)
        return event.id.rawValue
    }
}

/// Runs `vigil evidence export` (when built) against a test database, and other processes for the tests.
enum EvidenceCommandRun {
    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// nil when the CLI is not built (`swift build` builds it).
    static func export(_ database: TestDatabase, from: Date, to: Date) throws -> Result? {
        let vigil = ServiceProcess.binaries.appendingPathComponent("vigil").path
        guard FileManager.default.isExecutableFile(atPath: vigil) else { return nil }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try run(
            vigil,
            [
                "evidence", "export", "--pg-url", ServiceProcess.url(role: "vigil", database: database.name),
                "--from", Timestamp.format(from) ?? "", "--to", Timestamp.format(to) ?? "", "--out", out.path,
            ])
        for file in ["evidence.json", "evidence.md", "oversight-per-day.svg"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(file).path), "\(file) written")
        }
        return result
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        try process.run()
        // Read both before waiting: a full pipe would block the child.
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: data, as: UTF8.self),
            stderr: String(decoding: errors, as: UTF8.self))
    }
}
