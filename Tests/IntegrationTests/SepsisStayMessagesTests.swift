import Foundation
import Inference
import Ingestion
import Testing
import VigilHL7
import VigilModelCore

/// The replay tool's HL7 for a challenge stay maps, through ingestion's own mapper, back to the stay's values
/// under the LOINC codes and units the sepsis features read.
@Suite struct SepsisStayMessagesTests {
    @Test func stayRoundTripsThroughTheHL7Mapper() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/sepsis/p100013.psv")
        let file = try SepsisStayFile(contentsOf: url)
        let start = Date(timeIntervalSince1970: 1_767_571_200)
        let messages = SepsisStayMessages(stay: "p100013", file: file, start: start).messages()
        let mapper = HL7Mapper()
        var values: [Int: [Int: Double]] = [:]
        var admissions = 0
        var diagnoses: [Date] = []
        var transfers: [Date] = []
        for bytes in messages {
            let mapping = try mapper.map(try HL7Message(parsing: bytes))
            for event in mapping.events {
                #expect(event.patient.patientID == "p100013")
                if event.kind == .admission {
                    admissions += 1
                    continue
                }
                if event.kind == .transfer {
                    transfers.append(event.effectiveTime)
                    continue
                }
                if event.code.code == ClinicalOutcome.diagnosis.code {
                    diagnoses.append(event.effectiveTime)
                    #expect(event.value == .coded(Coding(system: Coding.System.snomedCT, code: "91302008", display: "Sepsis")))
                    continue
                }
                guard case .quantity(let value, let unit)? = event.value,
                    let column = SepsisColumns.indexByLOINC[event.code.code]
                else {
                    Issue.record("unexpected event \(event.code.code)")
                    continue
                }
                #expect(unit == SepsisColumns.measured[column].unit, "\(event.code.code) in \(unit)")
                let hour = SepsisHours.hour(of: event.effectiveTime, anchor: start)
                values[hour, default: [:]][column] = value
            }
        }
        #expect(admissions == 1)
        #expect(transfers == [start], "the ICU admission starts ICU hour 1")
        // The file's first SepsisLabel = 1 is at hour 80; the challenge puts onset six hours later.
        let firstLabel = try #require(file.hours.firstIndex { $0.label == 1 })
        #expect(diagnoses == [start.addingTimeInterval(Double(firstLabel + 6) * 3600 + 1800)])
        var compared = 0
        for (hour, row) in file.hours.enumerated() {
            for (column, value) in row.values.enumerated() where !value.isNaN {
                #expect(values[hour]?[column] == value, "hour \(hour) \(SepsisColumns.names[column])")
                compared += 1
            }
        }
        #expect(compared > 300)
    }
}
