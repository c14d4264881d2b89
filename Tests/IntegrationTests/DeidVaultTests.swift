import Deidentification
import Foundation
import Testing
import VigilAudit
import VigilKafka
import VigilModelCore
import VigilPHI

/// The vault and the stage handler against PostgreSQL: a patient's date shift is fixed at first sight, a key
/// rotation keeps the pseudonym, the sealed identity opens only with the key, and the egress gate
/// quarantines (dead letter + audit) what a faulty scrubber would have leaked.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct DeidVaultTests {
    static let k1: [UInt8] = Array(repeating: 11, count: 32)
    static let k2: [UInt8] = Array(repeating: 22, count: 32)

    static func patient(_ id: String = "MRN-VAULT-1") -> IdentifiedPatient {
        IdentifiedPatient(
            assigningAuthority: "HOSP", patientID: id, names: [PersonName(family: "Vaultington", given: ["Ada"])])
    }

    @Test func firstSightFixesTheShiftAndRotationKeepsThePseudonym() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let old = try DeidKeyring(current: "k1", keys: ["k1": Self.k1])
            let vault = PatientVault(pool: database.pool, keyring: old)
            let first = try await vault.context(for: Self.patient()) { -17 }
            #expect(first.dateShiftDays == -17)
            #expect(first.pseudonym.keyID == "k1")
            // Seen again: the stored shift wins over whatever a new derivation would say.
            #expect(try await vault.context(for: Self.patient()) { -300 } == first)

            // Rotate: k2 is current, k1 retired. The patient keeps the k1 pseudonym and shift; the k2 one is an alias.
            let rotated = try DeidKeyring(current: "k2", keys: ["k1": Self.k1, "k2": Self.k2])
            let after = PatientVault(pool: database.pool, keyring: rotated)
            #expect(try await after.context(for: Self.patient()) { -99 } == first)
            let alias = try rotated.pseudonym(authority: "HOSP", patientID: "MRN-VAULT-1")
            #expect(alias != first.pseudonym)
            #expect(try await after.reveal(alias)?.names.first?.family == "Vaultington", "the new pseudonym resolves")
            #expect(try await after.reveal(first.pseudonym)?.patientID == "MRN-VAULT-1", "the old one still resolves")
            // A new patient after the rotation gets a k2 pseudonym.
            #expect(try await after.context(for: Self.patient("MRN-VAULT-2")) { -5 }.pseudonym.keyID == "k2")
        }
    }

    @Test func theSealedIdentityIsUnreadableWithoutTheKey() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let keyring = try DeidKeyring(current: "k1", keys: ["k1": Self.k1])
            let context = try await PatientVault(pool: database.pool, keyring: keyring).context(for: Self.patient()) { -3 }
            let rows = try await database.pool.query("SELECT identity FROM deid.patients")
            let sealed = try rows[0].decode([UInt8].self, at: 0)
            #expect(!String(decoding: sealed, as: UTF8.self).contains("Vaultington"))
            let other = try DeidKeyring(current: "k1", keys: ["k1": Self.k2])
            await #expect(throws: (any Error).self) {
                try await PatientVault(pool: database.pool, keyring: other).reveal(context.pseudonym)
            }
        }
    }

    /// A scrubber that changes nothing: the gate must stop the name it leaves in a note.
    struct LeakyScrubber: TextScrubbing {
        func scrub(_ text: String, known: KnownIdentity, shiftDays: Int) throws -> (text: String, spans: [String: Int]) {
            (text, [:])
        }
    }

    struct FailingScrubber: TextScrubbing {
        struct Boom: Error {}
        func scrub(_ text: String, known: KnownIdentity, shiftDays: Int) throws -> (text: String, spans: [String: Int]) {
            throw Boom()
        }
    }

    static func message(_ event: IdentifiedEvent) throws -> KafkaMessage {
        let (headers, data) = try CloudEvent.encode(event: event, source: "test")
        return KafkaMessage(
            topic: "t", partition: 0, offset: 0, key: nil, value: data,
            headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) }, timestamp: nil)
    }

    @Test func theEgressGateQuarantinesWhatAFaultyScrubberLeavesAndEveryFailureFailsClosed() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let keyring = try DeidKeyring(current: "k1", keys: ["k1": Self.k1])
            let policy = try DeidPolicyLoader.parse(SafeHarborPolicy.yaml)
            func handler(_ scrubber: any TextScrubbing) -> DeidHandler {
                DeidHandler(
                    deidentifier: Deidentifier(policy: policy, keyring: keyring, scrubber: scrubber),
                    vault: PatientVault(pool: database.pool, keyring: keyring), audit: AuditLog(pool: database.pool),
                    outputTopic: "out", logger: TestKafka.logger)
            }
            let note = IdentifiedEvent(
                patient: Self.patient(), kind: .note, code: Coding(system: "http://loinc.org", code: "11506-3"),
                value: .text("Seen with Ada Vaultington today"), effectiveTime: Date(), recordedTime: Date(),
                source: EventSource(system: "LAB", messageControlID: "N1", position: 1))
            let leaked = try await handler(LeakyScrubber()).handle([try Self.message(note)])
            #expect(leaked == [.deadLetter(DeadLetterReason(code: "egress_phi_detected", detail: "known identifier in output"))])
            let failed = try await handler(FailingScrubber()).handle([try Self.message(note)])
            guard case .deadLetter(let reason) = failed.first else { Issue.record("a scrubber failure must quarantine"); return }
            #expect(reason.code == "scrubber_error")
            let garbage = try await handler(KnownIdentityRedactor()).handle([
                KafkaMessage(topic: "t", partition: 0, offset: 1, key: nil, value: Array("{}".utf8), headers: [], timestamp: nil)
            ])
            #expect(garbage.first.map { if case .deadLetter(let r) = $0 { r.code == "decode_error" } else { false } } == true)
            // The real redactor lets the same note through, scrubbed.
            let passed = try await handler(KnownIdentityRedactor()).handle([try Self.message(note)])
            guard case .produce(let records) = passed.first, let record = records.first else {
                Issue.record("the scrubbed note should pass"); return
            }
            let text = String(decoding: record.value, as: UTF8.self)
            #expect(!text.contains("Vaultington") && text.contains("[NAME]"))
            #expect(record.key.map { String(decoding: $0, as: UTF8.self) }?.hasPrefix("p1.k1.") == true)
            let audits = try await database.pool.query(
                "SELECT details::jsonb->>'reason', details::jsonb->>'needleKinds' FROM audit.log WHERE action = 'deid.quarantine' ORDER BY seq")
            let reasons = try audits.map { try $0.decode((String, String).self) }
            #expect(reasons.map(\.0) == ["egress_phi_detected", "scrubber_error", "decode_error"])
            #expect(reasons[0].1 == "name")
        }
    }
}
