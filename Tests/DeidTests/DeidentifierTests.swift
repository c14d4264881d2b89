import Deidentification
import Foundation
import Testing
import VigilModelCore
import VigilPHI

/// Each Safe Harbor identifier and each policy action on one event built full of canaries.
@Suite struct DeidentifierTests {
    typealias F = DeidFixtures

    @Test func noCanaryOfAnySafeHarborIdentifierSurvives() throws {
        let note = "Zanzibella Qwertyson (MRN-CANARY-4471) of 17 Canarywharf Lane, Springfieldia, tel 555-0142-7788, zanzi@example.org"
        for value in [EventValue.quantity(value: 88, unit: "/min"), .text(note), .coded(Coding(system: "L", code: "X", display: "seen by Qwertyson"))] {
            let output = try F.deidentifier().deidentify(F.event(value: value), patient: try F.context())
            let json = try F.json(output)
            for canary in F.canaries { #expect(!json.contains(canary), "\(canary) in \(json)") }
            #expect(!json.contains("1931"), "no birth year")
        }
    }

    @Test func thePatientBecomesTheKeyringsPseudonymAndDemographicsAreGeneralised() throws {
        let output = try F.deidentifier().deidentify(F.event(), patient: try F.context())
        #expect(output.patient == (try F.keyring.pseudonym(authority: "HOSP", patientID: "MRN-CANARY-4471")))
        // Born 1931-02-14, event 2024-05-01 (real, before shifting): 93 → 90, top-coded.
        #expect(output.demographics == Demographics(ageYears: 90, ageTopCoded: true, sex: .female, zip3: "627"))
        let young = try F.deidentifier().deidentify(F.event(patient: F.patient(birth: PartialDate(year: 1980, month: 6))), patient: try F.context())
        #expect(young.demographics?.ageYears == 43)
        #expect(young.demographics?.ageTopCoded == false)
    }

    @Test func restrictedZip3AreasBecome000() throws {
        let output = try F.deidentifier().deidentify(F.event(patient: F.patient(zip: "03601-1234")), patient: try F.context())
        #expect(output.demographics?.zip3 == "000")
    }

    @Test func everyTimeOfAPatientMovesByTheSameWholeDays() throws {
        let deidentifier = F.deidentifier()
        let shift = deidentifier.dateShiftDays(for: F.patient())
        #expect((-365 ... -1).contains(shift))
        #expect(deidentifier.dateShiftDays(for: F.patient()) == shift, "deterministic")
        let first = F.event(position: 1)
        let later = F.event(position: 2, effective: F.effective.addingTimeInterval(3 * 3600 + 17))
        let context = try F.context(shift: shift)
        let a = try deidentifier.deidentify(first, patient: context)
        let b = try deidentifier.deidentify(later, patient: context)
        #expect(a.effectiveTime.timeIntervalSince(first.effectiveTime) == Double(shift) * 86_400)
        #expect(a.recordedTime.timeIntervalSince(first.recordedTime) == Double(shift) * 86_400)
        #expect(b.effectiveTime.timeIntervalSince(a.effectiveTime) == later.effectiveTime.timeIntervalSince(first.effectiveTime))
        #expect(a.deidentification?.dateShifted == true)
        // Other patients get other offsets (over many, not all equal).
        let offsets = Set((0..<50).map { n in
            deidentifier.dateShiftDays(for: IdentifiedPatient(assigningAuthority: "HOSP", patientID: "P\(n)"))
        })
        #expect(offsets.count > 30)
    }

    @Test func identifiersAreHashedStablyAndTheEventKeepsItsID() throws {
        let a = try F.deidentifier().deidentify(F.event(position: 1), patient: try F.context())
        let b = try F.deidentifier().deidentify(F.event(position: 2), patient: try F.context())
        #expect(a.encounter == b.encounter, "same encounter, same hash")
        #expect(a.encounter?.hasPrefix("h1.k1.") == true)
        #expect(a.source.messageControlID.hasPrefix("h1.k1."))
        #expect(a.source.system == "LAB^HOSP", "kept")
        #expect(a.id == F.event(position: 1).id, "downstream dedupe and revisions keep working")
    }

    @Test func provenanceNamesRulesAndCountsWithoutValues() throws {
        let note = "Zanzibella Qwertyson called from 555-0142-7788"
        let output = try F.deidentifier().deidentify(F.event(value: .text(note)), patient: try F.context())
        let provenance = try #require(output.deidentification)
        #expect(provenance.policyHash == F.policy.hash)
        #expect(provenance.keyID == "k1")
        #expect(provenance.spans["NAME"] == 2)
        #expect(provenance.spans["PHONE"] == 1)
        #expect(provenance.rules.contains(.init(rule: "text", path: "value.text", action: "scrub")))
        #expect(provenance.rules.contains(.init(rule: "times", path: "effectiveTime", action: "dateShift")))
        if case .text(let scrubbed)? = output.value {
            #expect(scrubbed == "[NAME] [NAME] called from [PHONE]")
        } else {
            Issue.record("text stays text")
        }
    }

    @Test func ageObservationsOver89AreTopCoded() throws {
        let age = Coding(system: "http://loinc.org", code: "30525-0", display: "Age")
        let output = try F.deidentifier().deidentify(F.event(value: .quantity(value: 97, unit: "a"), code: age), patient: try F.context())
        #expect(output.value == .quantity(value: 90, unit: "a"))
        let pulse = try F.deidentifier().deidentify(F.event(value: .quantity(value: 97, unit: "/min")), patient: try F.context())
        #expect(pulse.value == .quantity(value: 97, unit: "/min"), "other quantities are kept")
    }

    static func custom(_ rules: String) throws -> DeidPolicy {
        try DeidPolicyLoader.parse(
            """
            apiVersion: vigil.deid/v1
            kind: DeidPolicy
            metadata: {name: test, version: "1"}
            profile: custom
            rules:
              - {id: patient, path: patient, action: pseudonymize}
            \(rules)
            """)
    }

    @Test func encryptSubstitutePerturbRedactAndKeep() throws {
        let policy = try Self.custom(
            """
              - {id: enc, path: encounter, action: encrypt}
              - {id: sub, path: source.messageControlID, action: substitute, replaceWith: "hidden"}
              - {id: noise, path: value.quantity, action: perturb, span: 5, rangeType: fixed, roundTo: 1}
              - {id: times, path: [effectiveTime, recordedTime], action: keep}
              - {id: text, path: value.text, action: redact}
            """)
        let deidentifier = F.deidentifier(policy)
        let output = try deidentifier.deidentify(F.event(), patient: try F.context())
        let sealed = try #require(output.encounter)
        #expect(sealed.hasPrefix("enc1.k1."))
        #expect(!sealed.contains("VISIT-CANARY-55"))
        #expect(output.source.messageControlID == "hidden")
        guard case .quantity(let noisy, _)? = output.value else { Issue.record("quantity expected"); return }
        #expect(abs(noisy - 88) <= 5)
        let noises = try (1...20).map { position -> Double in
            guard case .quantity(let value, _)? = try deidentifier.deidentify(F.event(position: position), patient: try F.context()).value
            else { return 88 }
            return value
        }
        #expect(noises.allSatisfy { abs($0 - 88) <= 5 })
        #expect(Set(noises).count > 10, "noise differs between events")
        #expect(try deidentifier.deidentify(F.event(), patient: try F.context()).value == output.value, "deterministic")
        #expect(output.effectiveTime == F.effective, "kept")
        #expect(output.deidentification?.dateShifted == false)
        // Fields without a rule never pass: no demographics, no displays, no text.
        #expect(output.demographics == nil)
        #expect(output.code.display == nil)
        let note = try deidentifier.deidentify(F.event(value: .text("anything")), patient: try F.context())
        #expect(note.value == nil)
    }
}

/// The service's scrubber (patterns, dictionaries, context, then the patient's own identifiers): notes come
/// out readable, with dates shifted by the patient's offset and recent years kept.
@Suite struct ServiceScrubberTests {
    typealias F = DeidFixtures

    @Test func aNursingNoteIsScrubbedAndItsDatesShifted() throws {
        let policy = F.policy
        let deidentifier = Deidentifier(policy: policy, keyring: F.keyring, scrubber: DeidScrubbingFactory.make(policy: policy))
        let note = """
            03/14/2024 Pt Zanzibella Qwertyson seen by Dr. Harriet Okonkwo at St. Brigid's Hospital. \
            Daughter Mara called from 555-0142-7788; lives at 17 Canarywharf Lane, Springfieldia. \
            Diabetic since 2015. Follow-up 2024-04-02.
            """
        let output = try deidentifier.deidentify(F.event(value: .text(note)), patient: try F.context(shift: -10))
        guard case .text(let text)? = output.value else { Issue.record("text expected"); return }
        for leaked in ["Zanzibella", "Qwertyson", "Okonkwo", "Harriet", "Brigid", "555-0142", "Canarywharf", "Springfieldia", "03/14/2024", "2024-04-02"] {
            #expect(!text.contains(leaked), "\(leaked) in \(text)")
        }
        #expect(text.contains("03/04/2024"), "shifted by -10 days, same format: \(text)")
        #expect(text.contains("2024-03-23"))
        #expect(text.contains("since 2015"), "a recent bare year stays")
        #expect(text.contains("Diabetic"), "clinical words stay")
        #expect((output.deidentification?.spans["NAME"] ?? 0) >= 2)
    }
}

/// A patient whose name is also an ordinary word: capitalised it is the name, lower-case it is the word.
@Suite struct OrdinaryWordNameTests {
    @Test func whiteCountIsNotMrsWhite() throws {
        let patient = IdentifiedPatient(
            assigningAuthority: "HOSP", patientID: "MRN-ORD-12345", names: [PersonName(family: "White", given: ["Rose"])])
        let known = KnownIdentity(patient)
        let scrubbed = try KnownIdentityRedactor().scrub(
            "white cell count rose overnight; Mrs White and Rose's daughter informed", known: known, shiftDays: 0)
        #expect(scrubbed.text == "white cell count rose overnight; Mrs [NAME] and [NAME]'s daughter informed")
        let matcher = KnownIdentityMatcher(known)
        #expect(matcher.kinds(in: "white cell count rose").isEmpty, "the gate lets ordinary words pass")
        #expect(matcher.kinds(in: "seen with Mrs White") == ["name"], "and stops the name")
        // A name that is no ordinary word matches in any case.
        let other = KnownIdentityMatcher(KnownIdentity(IdentifiedPatient(
            assigningAuthority: "HOSP", patientID: "MRN-ORD-2", names: [PersonName(family: "Qwertyson")])))
        #expect(other.kinds(in: "qwertyson called") == ["name"])
    }
}
