import Foundation
import Ingestion
import Testing
import VigilHL7
import VigilModelCore
import VigilPHI

/// ADT A01/A02/A03/A04/A08 → admission/transfer/discharge/update; patient demographics; times; rejections.
@Suite struct HL7MappingADTTests {
    typealias M = HL7MappingTestMessages

    static let evn = "EVN|A01|20240501100000+0200|||OP1|20240501094500+0200"
    static let pv1 =
        "PV1|1|I|ICU^01^A||||||||||||||||V-77^^^GOODHOSP^VN|||||||||||||||||||||||||20240501093000+0200|20240503120000+0200"

    static func adt(_ trigger: String, evn: String = evn, pv1: String = pv1, pid: String = M.pid) throws -> HL7Message {
        try M.message([M.header(type: "ADT^\(trigger)^ADT_\(trigger)"), evn, pid, pv1].filter { !$0.isEmpty })
    }

    @Test(arguments: [
        ("A01", EventKind.admission), ("A02", .transfer), ("A03", .discharge), ("A04", .admission), ("A08", .update),
    ])
    func triggersMapToTheirKinds(_ trigger: String, _ kind: EventKind) throws {
        let mapping = try M.map(Self.adt(trigger))
        let event = try #require(mapping.events.first)
        #expect(mapping.events.count == 1)
        #expect(event.kind == kind)
        #expect(event.code.system == "http://terminology.hl7.org/CodeSystem/v2-0003")
        #expect(event.code.code == trigger)
        #expect(event.value == .coded(Coding(system: "http://terminology.hl7.org/CodeSystem/v2-0004", code: "I", display: "Inpatient")))
        #expect(event.encounter == "V-77")
        #expect(event.source.position == 0)
        #expect(event.recordedTime == M.time("2024-05-01T08:00:00Z"))
        #expect(mapping.triggerEvent == trigger)
    }

    @Test func eventTimesComeFromTheFieldThatNamesThem() throws {
        // Admission: PV1-44; discharge: PV1-45; transfer and update: EVN-6.
        #expect(try M.map(Self.adt("A01")).events.first?.effectiveTime == M.time("2024-05-01T07:30:00Z"))
        #expect(try M.map(Self.adt("A03")).events.first?.effectiveTime == M.time("2024-05-03T10:00:00Z"))
        #expect(try M.map(Self.adt("A02")).events.first?.effectiveTime == M.time("2024-05-01T07:45:00Z"))
        #expect(try M.map(Self.adt("A08")).events.first?.effectiveTime == M.time("2024-05-01T07:45:00Z"))
        // Fallbacks: EVN-6, then EVN-2, then MSH-7, each noted as defaulted.
        let noPV1Time = try M.map(Self.adt("A01", pv1: "PV1|1|E"))
        #expect(noPV1Time.events.first?.effectiveTime == M.time("2024-05-01T07:45:00Z"))
        #expect(noPV1Time.coverage.has("EVN-6", .defaulted))
        let onlyEVN2 = try M.map(Self.adt("A02", evn: "EVN|A02|20240501100000+0200"))
        #expect(onlyEVN2.events.first?.effectiveTime == M.time("2024-05-01T08:00:00Z"))
        #expect(onlyEVN2.coverage.has("EVN-2", .defaulted))
        let noEVN = try M.map(Self.adt("A08", evn: ""))
        #expect(noEVN.events.first?.effectiveTime == M.time("2024-05-01T08:30:00Z"))
        #expect(noEVN.coverage.has("MSH-7", .defaulted))
        let noTime = try M.message([M.header(type: "ADT^A08", time: ""), M.pid])
        #expect(M.mappingError(noTime)?.location == "MSH-7")
    }

    @Test func patientDemographicsComeFromPID() throws {
        let pid = [
            "PID|1|EXT-1|MRN123^^^GOODHOSP^MR~NHS9^^^NHS^NH|ALT-5^^^OLDHOSP", "DOE^JANE^Q^JR^DR^^L~SMITH^JANE^^^^^M",
            "", "197002", "F", "", "", "1 Main St^Flat 2^Springfield^IL^62701^USA^H^^Sangamon", "", "^PRN^PH^^1^217^5550101~^NET^Internet^jane@example.org",
            "555-0199^WPN^PH", "", "", "", "", "111-22-3333", "D1234^IL",
        ].joined(separator: "|")
        let event = try #require(try M.map(Self.adt("A01", pid: pid)).events.first)
        let patient = event.patient
        #expect(patient.assigningAuthority == "GOODHOSP")
        #expect(patient.patientID == "MRN123")
        #expect(
            patient.identifiers == [
                PatientIdentifier(value: "NHS9", type: "NH", assigningAuthority: "NHS"),
                PatientIdentifier(value: "EXT-1"),
                PatientIdentifier(value: "ALT-5", assigningAuthority: "OLDHOSP"),
                PatientIdentifier(value: "111-22-3333", type: "SS"),
                PatientIdentifier(value: "D1234", type: "DL", assigningAuthority: "IL"),
            ])
        #expect(
            patient.names == [
                PersonName(family: "DOE", given: ["JANE", "Q"], prefix: "DR", suffix: "JR", use: "official"),
                PersonName(family: "SMITH", given: ["JANE"], use: "maiden"),
            ])
        #expect(patient.birthDate == PartialDate(year: 1970, month: 2))
        #expect(patient.sex == .female)
        #expect(
            patient.addresses == [
                PostalAddress(
                    lines: ["1 Main St", "Flat 2"], city: "Springfield", district: "Sangamon", state: "IL",
                    postalCode: "62701", country: "USA")
            ])
        #expect(
            patient.telecoms == [
                ContactPoint(system: .phone, value: "1 217 5550101", use: "home"),
                ContactPoint(system: .email, value: "jane@example.org", use: "home"),
                ContactPoint(system: .phone, value: "555-0199", use: "work"),
            ])
    }

    @Test func identityFallsBackToPID2AndTheSourceSystem() throws {
        let noAuthority = try M.map(Self.adt("A01", pid: "PID|1||MRN9||DOE^JO"))
        #expect(noAuthority.events.first?.patient.assigningAuthority == "LABAPP^GOODHOSP")
        #expect(noAuthority.coverage.has("PID-3.4", .defaulted))
        let legacy = try M.map(Self.adt("A01", pid: "PID|1|OLD-1^^^LEGACY||DOE^JO"))
        #expect(legacy.events.first?.patient.patientID == "OLD-1")
        #expect(legacy.events.first?.patient.assigningAuthority == "LEGACY")
        #expect(legacy.coverage.has("PID-2", .defaulted))
        let none = try #require(M.mappingError(Self.adt("A01", pid: "PID|1||^^^GOODHOSP^MR||DOE^JO")))
        #expect(none == HL7MappingError(
            .validationFailed, "PID-3 has no patient identifier", segmentID: "PID", segmentIndex: 3, field: 3,
            component: 1))
        let noPID = try #require(M.mappingError(M.message([M.header(type: "ADT^A01"), Self.evn, Self.pv1])))
        #expect(noPID.code == .validationFailed)
        #expect(noPID.segmentID == "PID")
    }

    @Test func otherTriggersAndTypesAreIgnoredOrRejectedByPolicy() throws {
        for type in ["ADT^A05^ADT_A05", "ADT^A40^ADT_A39", "SIU^S12^SIU_S12", "ORM^O01", "ORU^R30"] {
            let message = try M.message([M.header(type: type), Self.evn, M.pid])
            let mapping = try M.map(message)
            #expect(mapping.disposition == .ignored(.unsupportedMessageType), "\(type)")
            #expect(mapping.events.isEmpty)
            #expect(mapping.coverage.count("PID", .ignored) == 1)
            #expect(mapping.coverage.has("MSH-9", .ignored))
            let strict = HL7Mapper.Configuration(unsupportedMessages: .reject)
            #expect(M.mappingError(message, configuration: strict)?.code == .unsupportedMessage)
        }
    }

    @Test func headerFieldsTheIDsNeedAreRequired() throws {
        let noControl = try M.message([M.header(type: "ADT^A01", control: ""), Self.evn, M.pid])
        #expect(M.mappingError(noControl) == HL7MappingError(
            .validationFailed, "MSH-10 (message control id) is empty; event ids derive from it", segmentID: "MSH",
            segmentIndex: 1, field: 10))
        let noType = try M.message(["MSH|^~\\&|A|B|C|D|20240501||^A01|X|P|2.5", M.pid])
        #expect(M.mappingError(noType)?.location == "MSH-9.1")
    }

    @Test func preV23TriggerComesFromEVN1() throws {
        let mapping = try M.map(M.message([M.header(type: "ADT"), "EVN|A03|20240501100000+0200", M.pid, Self.pv1]))
        #expect(mapping.events.first?.kind == .discharge)
        #expect(mapping.coverage.has("EVN-1", .defaulted))
    }

    @Test func observationsInADTMapUnlessConfiguredOff() throws {
        let message = try M.message([
            M.header(type: "ADT^A01^ADT_A01"), Self.evn, M.pid, Self.pv1,
            "OBX|1|NM|29463-7^Body weight^LN||154|lb|||||F|||20240501093000+0200", "NTE|1||weighed on admission",
        ])
        let mapping = try M.map(message)
        #expect(mapping.events.map(\.kind) == [.admission, .observation, .note])
        #expect(mapping.events[1].value == .quantity(value: 69.853, unit: "kg"))
        #expect(mapping.events[1].encounter == "V-77")
        let off = try M.map(message, configuration: .init(mapObservationsInADT: false))
        #expect(off.events.map(\.kind) == [.admission])
        #expect(off.coverage.count("OBX", .ignored) == 1)
        #expect(off.coverage.count("NTE", .ignored) == 1)
    }

    @Test func everyADTEventEncodesAndDecodesAsAnIdentifiedEvent() throws {
        for trigger in ["A01", "A02", "A03", "A04", "A08"] {
            for event in try M.map(Self.adt(trigger)).events {
                let decoded = try VigilJSON.decode(IdentifiedEvent.self, from: try VigilJSON.encode(event))
                #expect(decoded == event)
            }
        }
    }
}
