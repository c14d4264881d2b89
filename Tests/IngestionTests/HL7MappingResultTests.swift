import Foundation
import Ingestion
import Testing
import VigilHL7
import VigilModelCore
import VigilPHI

/// ORU^R01 → events: value types, codes, units, times, notes, corrections and retractions, ids.
@Suite struct HL7MappingResultTests {
    typealias M = HL7MappingTestMessages

    @Test func numericResultWithLOINCCodeBecomesALabQuantity() throws {
        let mapping = try M.map(M.oru(["OBX|1|NM|2160-0^Creatinine^LN||1.3|mg/dL|0.6-1.2|H|||F|||20240501091500+0200"]))
        #expect(mapping.disposition == .mapped)
        let event = try #require(mapping.events.first)
        #expect(mapping.events.count == 1)
        #expect(event.kind == .lab)
        #expect(event.code == Coding(system: "http://loinc.org", code: "2160-0", display: "Creatinine"))
        #expect(event.value == .quantity(value: 1.3, unit: "mg/dL"))
        #expect(event.effectiveTime == M.time("2024-05-01T07:15:00Z"))
        #expect(event.recordedTime == M.time("2024-05-01T08:30:00Z"))
        #expect(event.patient.patientID == "MRN123")
        #expect(event.patient.assigningAuthority == "GOODHOSP")
        #expect(event.revises == nil)
        #expect(event.source == EventSource(system: "LABAPP^GOODHOSP", messageControlID: "CTRL-1", position: 3))
        #expect(event.id == EventID.derive(system: "LABAPP^GOODHOSP", messageControlID: "CTRL-1", position: 3))
    }

    @Test func vitalSignsAreObservationsAndFahrenheitIsConvertedToCelsius() throws {
        let mapping = try M.map(
            M.oru([
                "OBX|1|NM|8310-5^Body temperature^LN||98.6|degF|||||F|||20240501091500+0200",
                "OBX|2|NM|HR^Heart rate^99VIT||72|bpm|||||F|||20240501091500+0200",
            ]))
        #expect(mapping.events.map(\.kind) == [.observation, .observation])
        #expect(mapping.events[0].value == .quantity(value: 37, unit: "Cel"))
        #expect(mapping.events[1].code.system == "http://loinc.org")
        #expect(mapping.events[1].code.code == "8867-4")
        #expect(mapping.events[1].value == .quantity(value: 72, unit: "/min"))
        #expect(mapping.coverage.has("OBX-3", .mapped))
        #expect(mapping.coverage.notes.keys.contains { $0.field == "OBX-6" && $0.reason.contains("converted") })
    }

    @Test func loincInTheAlternateTripletIsUsed() throws {
        let mapping = try M.map(M.oru(["OBX|1|NM|K-SER^Potassium^99LAB^2823-3^Potassium^LN||4.1|mmol/L|||||F"]))
        #expect(mapping.events.first?.code == Coding(system: "http://loinc.org", code: "2823-3", display: "Potassium"))
    }

    @Test func unknownLocalCodesAndUnitsPassThroughWithCoverageNotes() throws {
        let mapping = try M.map(M.oru(["OBX|1|NM|ZZ42^Mystery index^99LOCAL||7.5|furlongs|||||F"]))
        let event = try #require(mapping.events.first)
        #expect(event.code == Coding(system: "urn:vigil:local:99LOCAL", code: "ZZ42", display: "Mystery index"))
        #expect(event.value == .quantity(value: 7.5, unit: "furlongs"))
        #expect(mapping.coverage.has("OBX-3", .defaulted))
        #expect(mapping.coverage.has("OBX-6", .defaulted))
        #expect(mapping.coverage.count("OBX", .defaulted) == 1)
    }

    @Test func aConfiguredCodeMapMapsSiteCodes() throws {
        let site = try HL7CodeMap(tsv: "99SITE\tZZ42\t2524-7\tLactate\tlab\n")
        let configuration = HL7Mapper.Configuration(codeMap: HL7CodeMap.standard.merging(site))
        let mapping = try M.map(M.oru(["OBX|1|NM|ZZ42^Lac^99SITE||3.1|mmol/L|||||F"]), configuration: configuration)
        #expect(mapping.events.first?.code == Coding(system: "http://loinc.org", code: "2524-7", display: "Lactate"))
    }

    @Test func observationTimeFallsBackFromOBX14ToOBR7ToMSH7() throws {
        let fromOBR = try M.map(M.oru(["OBX|1|NM|2524-7^Lactate^LN||2.0|mmol/L|||||F"]))
        #expect(fromOBR.events.first?.effectiveTime == M.time("2024-05-01T07:00:00Z"))
        #expect(fromOBR.coverage.notes.keys.contains { $0.field == "OBX-14" && $0.reason.contains("OBR-7") })
        #expect(fromOBR.coverage.noteCount("OBR-7", .mapped) == 1)

        let noOBR = try M.map(M.message([M.msh, M.pid, "OBX|1|NM|2524-7^Lactate^LN||2.0|mmol/L|||||F"]))
        #expect(noOBR.events.first?.effectiveTime == M.time("2024-05-01T08:30:00Z"))
        #expect(noOBR.coverage.notes.keys.contains { $0.field == "OBX-14" && $0.reason.contains("MSH-7") })

        let none = try M.message([M.header(time: ""), M.pid, "OBX|1|NM|2524-7^Lactate^LN||2.0|mmol/L|||||F"])
        let error = try #require(M.mappingError(none))
        #expect(error.code == .validationFailed)
        #expect(error.location == "OBX-14")
        #expect(error.segmentIndex == 3)
    }

    @Test func timesWithoutOffsetOrOnlyADateAreNotedAsDefaulted() throws {
        let mapping = try M.map(M.oru(["OBX|1|NM|2524-7^Lactate^LN||2.0|mmol/L|||||F|||20240501"]))
        #expect(mapping.events.first?.effectiveTime == M.time("2024-05-01T00:00:00Z"))
        #expect(mapping.coverage.noteCount("OBX-14", .defaulted) == 2)
        let shifted = try M.map(
            M.oru(["OBX|1|NM|2524-7^Lactate^LN||2.0|mmol/L|||||F|||202405011200"]),
            configuration: .init(assumedUTCOffsetMinutes: 120))
        #expect(shifted.events.first?.effectiveTime == M.time("2024-05-01T10:00:00Z"))
    }

    @Test func valueTypesMapToQuantityTextCodedAndNotes() throws {
        let mapping = try M.map(
            M.oru([
                "OBX|1|SN|777-3^Platelets^LN||^182|10*3/uL|||||F",
                "OBX|2|ST|5778-6^Color of Urine^LN||Yellow||||||F",
                "OBX|3|CWE|67775-7^ACVPU^LN||LA9340-6^Alert^LN||||||F",
                "OBX|4|CE|600-7^Blood culture^LN||3092008^Staphylococcus aureus^SCT||||||F",
                "OBX|5|TX|11526-1^Pathology report^LN||Line one~Line two||||||F",
                "OBX|6|FT|18748-4^Imaging report^LN||Findings\\.br\\Normal||||||F",
            ]))
        #expect(mapping.events.count == 6)
        #expect(mapping.events[0].value == .quantity(value: 182, unit: "10*3/uL"))
        #expect(mapping.events[1].value == .text("Yellow"))
        #expect(mapping.events[2].kind == .observation)
        #expect(mapping.events[2].value == .coded(Coding(system: "http://loinc.org", code: "LA9340-6", display: "Alert")))
        #expect(
            mapping.events[3].value
                == .coded(Coding(system: "http://snomed.info/sct", code: "3092008", display: "Staphylococcus aureus")))
        #expect(mapping.events[4].kind == .note)
        #expect(mapping.events[4].value == .text("Line one\nLine two"))
        #expect(mapping.events[5].kind == .note)
        #expect(mapping.events[5].value == .text("Findings\nNormal"))
    }

    @Test func structuredNumericComparatorsRangesAndInvalidNumbers() throws {
        let mapping = try M.map(
            M.oru([
                "OBX|1|SN|2524-7^Lactate^LN||<^0.3|mmol/L|||||F",
                "OBX|2|SN|777-3^Platelets^LN||^150^-^400|10*3/uL|||||F",
                "OBX|3|NM|8867-4^Heart rate^LN||>250|/min|||||F",
                "OBX|4|NM|6690-2^WBC^LN||1,2|10*3/uL|||||F",
                "OBX|5|NM|8310-5^Temp^LN||1e2|Cel|||||F",
                "OBX|6|NM|59408-5^SpO2^LN||  97 |%|||||F",
            ]))
        #expect(mapping.events.map(\.source.position) == [3, 4, 5, 8])
        #expect(mapping.events[0].value == .quantity(value: 0.3, unit: "mmol/L"))
        #expect(mapping.events[1].value == .text("150-400"))
        #expect(mapping.events[2].value == .quantity(value: 250, unit: "/min"))
        #expect(mapping.events[3].value == .quantity(value: 97, unit: "%"))
        #expect(mapping.coverage.notes.keys.contains { $0.field == "OBX-5" && $0.reason == "not a valid NM number" })
        #expect(mapping.coverage.count("OBX", .ignored) == 2)
        #expect(mapping.coverage.noteCount("OBX-5", .defaulted) == 3)
    }

    @Test func unmappedValueTypesStatusesAndEmptyValuesAreIgnoredNotRejected() throws {
        let mapping = try M.map(
            M.oru([
                "OBX|1|ED|18748-4^Report^LN||^TEXT^^Base64^QUJD||||||F",
                "OBX|2|NM|2524-7^Lactate^LN||||||||I",
                "OBX|3|NM|2524-7^Lactate^LN||2.0|mmol/L|||||X",
                "OBX|4|NM|2524-7^Lactate^LN||\"\"|mmol/L|||||F",
                "OBX|5|DT|21112-8^Birth date^LN||20240101||||||F",
            ]))
        #expect(mapping.events.isEmpty)
        #expect(mapping.disposition == .ignored(.nothingToMap))
        #expect(mapping.coverage.count("OBX", .ignored) == 5)
        #expect(mapping.coverage.noteCount("OBX-2", .ignored) == 2)
        #expect(mapping.coverage.noteCount("OBX-11", .ignored) == 2)
        #expect(mapping.coverage.noteCount("OBX-5", .ignored) == 1)
    }

    @Test func aCorrectionInANewMessageRevisesTheOriginalResultsKey() throws {
        let original = try M.map(
            M.oru(["OBX|1|NM|2160-0^Creatinine^LN|1|1.3|mg/dL|||||F|||20240501091500+0200"], control: "CTRL-1"))
        let corrected = try M.map(
            M.oru(["OBX|1|NM|2160-0^Creatinine^LN|1|1.1|mg/dL|||||C|||20240501091500+0200"], control: "CTRL-2"))
        let deleted = try M.map(
            M.oru(["OBX|1|NM|2160-0^Creatinine^LN|1||mg/dL|||||D|||20240501091500+0200"], control: "CTRL-3"))
        let wrong = try M.map(
            M.oru(["OBX|1|NM|2160-0^Creatinine^LN|1|1.1|mg/dL|||||W|||20240501091500+0200"], control: "CTRL-4"))
        let first = try #require(original.events.first)
        let key = try #require(original.resultKeys[first.id])
        let correction = try #require(corrected.events.first)
        #expect(correction.kind == .correction)
        #expect(correction.revises == key.id)
        #expect(correction.value == .quantity(value: 1.1, unit: "mg/dL"))
        #expect(correction.id != first.id)
        #expect(key.order == "filler:FIL-9^LAB")
        for retraction in [deleted.events.first, wrong.events.first] {
            #expect(retraction?.kind == .retraction)
            #expect(retraction?.revises == key.id)
            #expect(retraction?.value == nil)
        }
        // Another sub-id, another result.
        let other = try M.map(M.oru(["OBX|1|NM|2160-0^Creatinine^LN|2|1.1|mg/dL|||||C"], control: "CTRL-5"))
        #expect(other.events.first?.revises != key.id)
    }

    @Test func resultsWithoutAnOrderAreKeyedByPatientCodeAndTime() throws {
        let header = M.header(type: "ADT^A08^ADT_A08")
        let pv1 = "PV1|1|I|W1^1^1||||||||||||||||V100"
        let original = try M.map(M.message([header, M.pid, pv1, "OBX|1|NM|8867-4^HR^LN||80|/min|||||F|||202405010900"]))
        let corrected = try M.map(
            M.message([
                M.header(type: "ADT^A08^ADT_A08", control: "CTRL-2"), M.pid, pv1,
                "OBX|1|NM|8867-4^HR^LN||82|/min|||||C|||202405010900",
            ]))
        let observation = try #require(original.events.first { $0.kind == .observation })
        #expect(observation.encounter == "V100")
        let correction = try #require(corrected.events.first { $0.kind == .correction })
        #expect(correction.revises == original.resultKeys[observation.id]?.id)
        #expect(corrected.coverage.has("OBR-3", .defaulted))
    }

    @Test func commentsAfterAnOBROrOBXBecomeOneNotePerRun() throws {
        let mapping = try M.map(
            M.oru([
                "NTE|1|L|Specimen slightly haemolysed",
                "NTE|2|L|Repeat advised",
                "OBX|1|NM|2823-3^Potassium^LN||5.9|mmol/L|||||F|||20240501091500+0200",
                "NTE|1|L|Called to ward",
            ]))
        #expect(mapping.events.map(\.kind) == [.note, .lab, .note])
        #expect(mapping.events[0].value == .text("Specimen slightly haemolysed\nRepeat advised"))
        #expect(mapping.events[0].code == Coding.loinc("48767-8", display: "Annotation comment [Interpretation] Narrative"))
        #expect(mapping.events[0].source.position == 3)
        #expect(mapping.events[0].effectiveTime == M.time("2024-05-01T07:00:00Z"))
        #expect(mapping.events[2].effectiveTime == M.time("2024-05-01T07:15:00Z"))
        #expect(mapping.resultKeys[mapping.events[0].id] == nil)
        #expect(mapping.coverage.count("NTE", .mapped) == 3)

        let orphan = try M.map(M.message([M.msh, M.pid, "NTE|1||Patient comment", M.obr, "OBX|1|ST|X^Y^LN||ok||||||F"]))
        #expect(orphan.events.count == 1)
        #expect(orphan.coverage.count("NTE", .ignored) == 1)
    }

    @Test func severalPatientsInOneMessageKeepTheirOwnResults() throws {
        let mapping = try M.map(
            M.message([
                M.msh, M.pid, "PV1|1|I|||||||||||||||||V1", M.obr, "OBX|1|NM|2524-7^Lactate^LN||2.0|mmol/L|||||F",
                "PID|1||MRN456^^^GOODHOSP^MR||ROE^RICHARD", M.obr, "OBX|1|NM|2524-7^Lactate^LN||4.0|mmol/L|||||F",
            ]))
        #expect(mapping.events.map(\.patient.patientID) == ["MRN123", "MRN456"])
        #expect(mapping.events.map(\.encounter) == ["V1", nil])
    }

    @Test func invalidResultsAreRejectedWithTheirPosition() throws {
        let noCode = try #require(M.mappingError(M.oru(["OBX|1|NM|||2.0|mmol/L|||||F"])))
        #expect(noCode == HL7MappingError(
            .validationFailed, "OBX-3 has no observation identifier", segmentID: "OBX", segmentIndex: 4, field: 3,
            component: 1))
        let noType = try #require(M.mappingError(M.oru(["OBX|1||2524-7^Lactate^LN||2.0|mmol/L|||||F"])))
        #expect(noType.location == "OBX-2")
        let noPatient = try #require(M.mappingError(M.message([M.msh, M.obr, "OBX|1|NM|2524-7^L^LN||2.0|mmol/L|||||F"])))
        #expect(noPatient.code == .validationFailed)
        #expect(noPatient.segmentID == "OBX")
        #expect(noPatient.segmentIndex == 3)
        #expect(!noPatient.description.contains("2524-7"))
    }

    @Test func resendingAMessageYieldsTheSameEventsAndAnotherSenderOtherIDs() throws {
        let message = try M.oru(["OBX|1|NM|2524-7^Lactate^LN||2.0|mmol/L|||||F", "NTE|1||note"])
        let first = try M.map(message)
        let again = try HL7Mapper().map(try HL7Message(parsing: Array(message.bytes)))
        #expect(first.events == again.events)
        let channel = try HL7Mapper().map(message, sourceSystem: "mllp:lab-feed")
        #expect(channel.events.map(\.source.system) == ["mllp:lab-feed", "mllp:lab-feed"])
        #expect(Set(channel.events.map(\.id)).isDisjoint(with: first.events.map(\.id)))
        #expect(Set(first.events.map(\.id)).count == first.events.count)
    }

    @Test func everySegmentIsCountedOnceInTheCoverage() throws {
        let message = try M.oru(["OBX|1|NM|2524-7^Lactate^LN||2.0|mmol/L|||||F", "SPM|1|||BLD", "ZXY|custom"])
        let mapping = try M.map(message)
        let total = mapping.coverage.segments.values.reduce(0) { $0 + $1.total }
        #expect(total == message.segmentCount)
        #expect(mapping.coverage.count("SPM", .ignored) == 1)
        #expect(mapping.coverage.count("ZXY", .ignored) == 1)
        #expect(mapping.coverage.count("MSH", .mapped) == 1)
        #expect(mapping.coverage.count("PID", .mapped) == 1)
        #expect(mapping.coverage.count("OBR", .mapped) == 1)
        #expect(mapping.coverage.notes.keys.allSatisfy { !$0.reason.contains("2524") && !$0.reason.contains("MRN") })
    }
}
