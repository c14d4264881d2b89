import Foundation
import Testing
import VigilModelCore
import VigilPHI

@Suite struct IdentifiedTypesTests {
    /// Canary strings: none of them may appear in any printed form of an identified value.
    static let canaries = [
        "CANARY-AUTH", "CANARY-MRN-0042", "CANARY-SSN-999", "Canaryfamily", "Canarygiven", "1961-07-23",
        "CANARY-STREET 1", "Canarytown", "CANARY-ZIP", "+44-CANARY-PHONE", "canary@example.org", "CANARY-VISIT",
        "CANARY-NOTE",
    ]

    static let patient = IdentifiedPatient(
        assigningAuthority: "CANARY-AUTH", patientID: "CANARY-MRN-0042",
        identifiers: [PatientIdentifier(value: "CANARY-SSN-999", type: "SS")],
        names: [PersonName(family: "Canaryfamily", given: ["Canarygiven"], use: "official")],
        birthDate: PartialDate(iso: "1961-07-23"), sex: .female,
        addresses: [PostalAddress(lines: ["CANARY-STREET 1"], city: "Canarytown", postalCode: "CANARY-ZIP")],
        telecoms: [
            ContactPoint(system: .phone, value: "+44-CANARY-PHONE"),
            ContactPoint(system: .email, value: "canary@example.org"),
        ])

    static let event = IdentifiedEvent(
        patient: patient, encounter: "CANARY-VISIT", kind: .note, code: .loinc("11506-3"),
        value: .text("CANARY-NOTE"), effectiveTime: Fixtures.effective, recordedTime: Fixtures.recorded,
        source: Fixtures.source())

    static func printedForms(of value: Any) -> [String] {
        var dumped = ""
        dump(value, to: &dumped)
        return [String(describing: value), String(reflecting: value), "\(value)", dumped]
    }

    @Test func patientDescriptionLeaksNoIdentifier() {
        let forms = Self.printedForms(of: Self.patient)
        #expect(String(describing: Self.patient) == "IdentifiedPatient(redacted)")
        for form in forms + Self.printedForms(of: [Self.patient]) + Self.printedForms(of: Self.patient.names) {
            for canary in Self.canaries {
                #expect(!form.contains(canary), "leaked a canary")
            }
        }
    }

    @Test func eventAndRawPayloadDescriptionsLeakNoIdentifier() {
        let raw = RawPayload(format: .hl7v2, bytes: Array("MSH|^~\\&|CANARY-MRN-0042".utf8))
        for form in Self.printedForms(of: Self.event) + Self.printedForms(of: raw) {
            for canary in Self.canaries {
                #expect(!form.contains(canary), "leaked a canary")
            }
        }
        #expect(String(describing: Self.event).contains(Self.event.id.rawValue))
    }

    @Test func identifiedEventRoundTripsWithoutIdentifiersInHeaders() throws {
        let (headers, data) = try CloudEvent.encode(event: Self.event, source: "urn:vigil:ingest")
        #expect(Fixtures.header(headers, "ce_type") == "org.vigil.clinical.identified.note.v1")
        #expect(Fixtures.header(headers, "ce_subject") == nil)
        let headerText = headers.map { $0.key + String(decoding: $0.value, as: UTF8.self) }.joined()
        for canary in Self.canaries { #expect(!headerText.contains(canary)) }
        #expect(try IdentifiedEvent.decode(headers: headers, data: data) == Self.event)
    }

    @Test func identifiedEventIsNotReadableAsAClinicalEvent() throws {
        let (headers, data) = try CloudEvent.encode(event: Self.event, source: "urn:vigil:ingest")
        #expect(throws: ModelCoreError.self) { try ClinicalEvent.decode(headers: headers, data: data) }
        let payloadOnly = #expect(throws: ModelCoreError.self) { try VigilJSON.decode(ClinicalEvent.self, from: data) }
        #expect(payloadOnly?.code == .schemaMismatch)
    }

    @Test func decodeErrorsLeakNoIdentifier() throws {
        var object = Fixtures.json(try VigilJSON.encode(Self.event))
        var patient = object["patient"] as! [String: Any]
        patient["birthDate"] = "CANARY-BAD-DATE"
        patient["sex"] = "CANARY-SEX"
        object["patient"] = patient
        let error = #expect(throws: ModelCoreError.self) {
            try VigilJSON.decode(IdentifiedEvent.self, from: Fixtures.bytes(object))
        }
        #expect(error?.description.contains("CANARY") == false)
        #expect(error?.field?.hasPrefix("patient.") == true)
    }

    @Test func patientPseudonymMatchesDerive() throws {
        #expect(
            try Self.patient.pseudonym(key: Fixtures.key, keyID: "k2024")
                == Pseudonym.derive(
                    assigningAuthority: "CANARY-AUTH", patientID: "CANARY-MRN-0042", key: Fixtures.key, keyID: "k2024"))
        #expect(!Self.patient.partitionKey.contains("CANARY"))
        #expect(Self.patient.partitionKey.count == 64)
    }

    @Test func partialDatesAndRawPayloadRoundTrip() throws {
        #expect(PartialDate(iso: "1961")?.month == nil)
        #expect(PartialDate(iso: "1961-07")?.iso == "1961-07")
        #expect(PartialDate(iso: "1961-02-29") == nil)
        #expect(PartialDate(iso: "61-07-23") == nil)
        let raw = RawPayload(format: .fhirJSON, bytes: [0, 1, 2, 0xFF])
        #expect(try VigilJSON.decode(RawPayload.self, from: VigilJSON.encode(raw)) == raw)
        #expect(try VigilJSON.decode(IdentifiedPatient.self, from: VigilJSON.encode(Self.patient)) == Self.patient)
    }
}
