import Evidence
import Foundation
import Inference
import Notification
import Testing
import VigilAudit
import VigilModelCore

/// `vigil evidence export` over a database with real activity: alerts raised, acknowledged, overridden and
/// snoozed; a model stopped and restarted; an identity reveal; confirmed outcomes with and without alerts;
/// monitoring with an override surge. The pack validates against docs/schemas/evidence-pack.schema.json, lists
/// exactly the planted incident candidates, holds no identity, and reports a tampered audit row.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"), .timeLimit(.minutes(3)))
struct EvidencePackTests {
    static let sepsis = ModelReference(
        id: "sepsis-lgbm", version: "1.0.0", sha256: HexDigest.sha256(framing: ["sepsis"]))

    static func pseudonym(_ mrn: String) throws -> Pseudonym {
        try Pseudonym.derive(
            assigningAuthority: "HOSP", patientID: mrn, key: Array(repeating: 3, count: 32), keyID: "k1")
    }

    /// What the test planted and expects the pack to list.
    struct Planted {
        var missedOutcome = ""
        var lateOutcome = ""
        var lateAlert = ""
        var alertOnStoppedModel = ""
        var criticalGovernanceAlert = ""
        var revealSeq: Int64 = 0
        var pseudonyms: [String] = []
    }

    @Test func aPackOfRealActivityValidatesAndListsExactlyThePlantedIncidents() async throws {
        try await NotifyAPIHarness.with { api in
            let from = Date().addingTimeInterval(-1)
            let planted = try await Self.plant(api, from: from)
            let to = Date().addingTimeInterval(1)
            let pool = api.database.pool
            let pack = try await EvidenceReader(pool: pool).read(from: from, to: to)

            let summary = pack.summary
            #expect(summary.auditChainIntact && pack.recordKeeping.chain.status == "intact")
            #expect(summary.acknowledgements == 1 && summary.overrides == 2 && summary.snoozes == 1)
            #expect(pack.humanOversight.stopSwitchUses.map(\.action) == ["model.stop", "model.restart"])
            #expect(pack.humanOversight.gatesAtExport.map(\.status) == ["active"])
            #expect(pack.humanOversight.identityReveals.map(\.seq) == [planted.revealSeq])
            let override = try #require(pack.humanOversight.actions.first { $0.reasonCode == "other" })
            #expect(override.reasonText == "comfort care agreed with the family" && override.actor == "user:nurse-icu")
            #expect(pack.humanOversight.perDay.reduce(0) { $0 + $1.raised } == 7)
            let models = Dictionary(
                uniqueKeysWithValues: pack.transparency.models.map { ("\($0.id)@\($0.version)", $0) })
            #expect(
                models["news2@rcp-2017.1"]?.inUse == true && models["news2@rcp-2017.1"]?.card == "NEWS2 (RCP 2017).")
            #expect(models["sepsis-lgbm@1.0.0"]?.liveDecisions == 3 && models.values.allSatisfy(\.registered))
            #expect(pack.transparency.policies.count == 1 && pack.transparency.policies.first?.decisions == 8)
            let all = try #require(
                pack.postMarketMonitoring.windows.first { $0.modelId == "news2" && $0.cohort == "all" })
            #expect(all.figures["alerts"]?.number == 5 && all.figures["overridden"]?.number == 2)
            #expect(pack.recordKeeping.entries.count == summary.auditEntries && summary.auditEntries >= 8)
            #expect(Self.unverifiable(pack).isEmpty, "every extracted entry re-hashes from the extract alone")

            // Exactly the planted cases: one missed, one late, one alert on the stopped model, one critical alert.
            let found = pack.incidentCandidates.map { Self.key($0.kind.rawValue, $0.ids) }
            let stop = try #require(pack.humanOversight.stopSwitchUses.first { $0.action == "model.stop" })
            let stoppedEvent = EpisodeState.eventID(
                alertID: try #require(EventID(planted.alertOnStoppedModel)), revision: 1)
            #expect(
                Set(found)
                    == [
                        Self.key("missed-alert", ["outcomeEvent": planted.missedOutcome]),
                        Self.key(
                            "missed-alert", ["outcomeEvent": planted.lateOutcome, "lateAlert": planted.lateAlert]),
                        Self.key(
                            "alert-on-stopped-model",
                            [
                                "alert": planted.alertOnStoppedModel, "alertEvent": stoppedEvent.rawValue,
                                "stopAuditSeq": String(stop.seq),
                            ]),
                        Self.key("critical-governance-alert", ["governanceAlert": planted.criticalGovernanceAlert]),
                    ], "\(found)")
            #expect(found.count == 4 && summary.incidentCandidates == 4 && summary.outcomesWithoutLiveModel == 1)
            #expect(pack.incidentCandidates.allSatisfy { $0.patient.map { planted.pseudonyms.contains($0) } ?? true })

            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("evidence-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: folder) }
            try EvidenceWriter.write(pack, to: folder)
            try Self.expectValid(folder)
            try Self.expectNoIdentity(folder, planted)
            let markdown = try String(contentsOf: folder.appendingPathComponent("evidence.md"), encoding: .utf8)
            #expect(markdown.contains("](oversight-per-day.svg)") && markdown.contains("](monitoring-rates.svg)"))
            let svg = try String(contentsOf: folder.appendingPathComponent("oversight-per-day.svg"), encoding: .utf8)
            #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && !svg.contains("href"))
            if let run = try EvidenceCommandRun.export(api.database, from: from, to: to) {
                #expect(run.status == 0 && run.stdout.contains("audit chain intact"), "\(run.stdout)\(run.stderr)")
            }

            // One audit row edited: the pack (and the command) say where the chain breaks.
            try await AuditLogTests.tamper(
                pool, "UPDATE audit.log SET reason = 'nothing to see' WHERE seq = \(planted.revealSeq)")
            let broken = try await EvidenceReader(pool: pool).read(from: from, to: to)
            #expect(!broken.summary.auditChainIntact && broken.recordKeeping.chain.status == "broken")
            #expect(broken.recordKeeping.chain.brokenSeq == planted.revealSeq)
            #expect(broken.recordKeeping.chain.brokenReason == "hashMismatch")
            #expect(broken.summary.findings.first?.contains("BROKEN at seq \(planted.revealSeq)") == true)
            #expect(Self.unverifiable(broken) == [planted.revealSeq], "the extract shows the edited entry too")
            try EvidenceWriter.write(broken, to: folder)
            try Self.expectValid(folder)
            if let run = try EvidenceCommandRun.export(api.database, from: from, to: to) {
                #expect(run.status == 1 && run.stdout.contains("AUDIT CHAIN BROKEN"), "\(run.stdout)\(run.stderr)")
            }
        }
    }

    /// Seqs of extracted entries whose hash does not follow from their fields (AuditCanonical).
    static func unverifiable(_ pack: EvidencePack) -> [Int64] {
        func bytes(_ hex: String) -> [UInt8] {
            let digits = Array(hex.utf8)
            return stride(from: 0, to: digits.count - 1, by: 2).compactMap {
                UInt8(String(decoding: digits[$0...$0 + 1], as: UTF8.self), radix: 16)
            }
        }
        return pack.recordKeeping.entries.filter { entry in
            let record = AuditRecord(
                seq: entry.seq, atMicroseconds: entry.atMicroseconds, actor: entry.actor, action: entry.action,
                subject: entry.subject, reason: entry.reason, details: entry.details, prevHash: bytes(entry.prevHash),
                hash: bytes(entry.hash))
            return Hex.encode(record.computedHash) != entry.hash
        }.map(\.seq)
    }

    static func key(_ kind: String, _ ids: [String: String]) -> String {
        kind + " " + ids.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
    }

    /// Validates evidence.json with Python's `jsonschema` (infra/dev/up.sh installs it), and checks that the
    /// validator does reject a pack without its summary.
    static func expectValid(_ folder: URL) throws {
        let python = try #require(
            ProcessInfo.processInfo.environment["VIGIL_VENV"].map { "\($0)/bin/python" }, "VIGIL_VENV is not set")
        let schema = ServiceProcess.root.appendingPathComponent("docs/schemas/evidence-pack.schema.json").path
        let script = """
            import json, sys, jsonschema
            schema = json.load(open(sys.argv[1])); pack = json.load(open(sys.argv[2]))
            validator = jsonschema.Draft202012Validator(schema)
            errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(pack)]
            del pack["summary"]
            if validator.is_valid(pack): errors.append("a pack without a summary passed")
            print("\\n".join(errors)); sys.exit(1 if errors else 0)
            """
        let run = try EvidenceCommandRun.run(
            python, ["-c", script, schema, folder.appendingPathComponent("evidence.json").path])
        #expect(
            run.status == 0,
            "evidence.json does not match the schema (is jsonschema installed? infra/dev/up.sh):\n\(run.stdout)\(run.stderr)"
        )
    }

    /// No file of the pack holds a medical record number the pseudonyms were derived from.
    static func expectNoIdentity(_ folder: URL, _ planted: Planted) throws {
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            #expect(!text.contains("MRN-EV-"), "\(name) holds an identity")
        }
        let json = try String(contentsOf: folder.appendingPathComponent("evidence.json"), encoding: .utf8)
        #expect(planted.pseudonyms.allSatisfy { json.contains($0) }, "pseudonyms stand in for patients")
    }
}
