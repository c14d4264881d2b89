import Deidentification
import Foundation
import VigilModelCore
import VigilPHI

/// A patient whose every identifier is a canary: no canary may appear in any de-identified output.
enum DeidFixtures {
    static let keyring = try! DeidKeyring(current: "k1", keys: ["k1": Array(repeating: 7, count: 32)])
    static let policy = try! DeidPolicyLoader.parse(SafeHarborPolicy.yaml)

    static let canaries = [
        "Qwertyson", "Zanzibella", "MRN-CANARY-4471", "111-22-3333", "DL-CANARY-9", "17 Canarywharf Lane",
        "Springfieldia", "62701", "555-0142-7788", "zanzi@example.org", "VISIT-CANARY-55", "CTRL-CANARY-1",
        "http://canary.example.org/zanzi",
    ]

    static func patient(birth: PartialDate? = PartialDate(year: 1931, month: 2, day: 14), zip: String = "62701") -> IdentifiedPatient {
        IdentifiedPatient(
            assigningAuthority: "HOSP", patientID: "MRN-CANARY-4471",
            identifiers: [
                PatientIdentifier(value: "111-22-3333", type: "SS"), PatientIdentifier(value: "DL-CANARY-9", type: "DL"),
            ],
            names: [PersonName(family: "Qwertyson", given: ["Zanzibella"])], birthDate: birth, sex: .female,
            addresses: [PostalAddress(lines: ["17 Canarywharf Lane"], city: "Springfieldia", state: "IL", postalCode: zip)],
            telecoms: [
                ContactPoint(system: .phone, value: "555-0142-7788"), ContactPoint(system: .email, value: "zanzi@example.org"),
                ContactPoint(system: .url, value: "http://canary.example.org/zanzi"),
            ])
    }

    static let effective = Date(timeIntervalSince1970: 1_714_566_896)  // 2024-05-01T12:34:56Z

    static func event(
        position: Int = 1, value: EventValue? = .quantity(value: 88, unit: "/min"),
        code: Coding = Coding(system: "http://loinc.org", code: "8867-4", display: "Heart rate"),
        patient: IdentifiedPatient = patient(), effective: Date = effective
    ) -> IdentifiedEvent {
        IdentifiedEvent(
            patient: patient, encounter: "VISIT-CANARY-55", kind: .observation, code: code, value: value,
            effectiveTime: effective, recordedTime: effective.addingTimeInterval(90),
            source: EventSource(system: "LAB^HOSP", messageControlID: "CTRL-CANARY-1", position: position))
    }

    static func deidentifier(_ policy: DeidPolicy = policy) -> Deidentifier {
        Deidentifier(policy: policy, keyring: keyring, scrubber: KnownIdentityRedactor())
    }

    static func context(_ patient: IdentifiedPatient = patient(), shift: Int = -40) throws -> PatientContext {
        PatientContext(pseudonym: try keyring.pseudonym(authority: patient.assigningAuthority, patientID: patient.patientID), dateShiftDays: shift)
    }

    static func json(_ event: ClinicalEvent) throws -> String {
        String(decoding: try VigilJSON.encode(event), as: UTF8.self)
    }
}
