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
        for bytes in messages {
            let mapping = try mapper.map(try HL7Message(parsing: bytes))
            for event in mapping.events {
                #expect(event.patient.patientID == "p100013")
                if event.kind == .admission {
                    admissions += 1
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
