import Foundation
import VigilModelCore

/// A challenge stay (`.psv`) as the HL7 v2 messages an ICU's systems would send: an ADT^A01 at hospital
/// admission (age as a date of birth, sex), then one ORU^R01 per hour with an OBX per measured column, coded
/// with the LOINC and UCUM unit of `SepsisColumns` — the same table the model's features read.
/// The stays carry no names or addresses; the patient id is the stay's file name.
public struct SepsisStayMessages: Sendable {
    public let stay: String
    public let file: SepsisStayFile
    /// When the stay's first ICU hour starts.
    public let start: Date

    public init(stay: String, file: SepsisStayFile, start: Date) {
        self.stay = stay
        self.file = file
        self.start = start
    }

    public static let facility = "CINC2019"

    /// In the order a hospital would send them.
    public func messages() -> [[UInt8]] { timedMessages().map(\.bytes) }

    /// The messages with the clinical time each is sent at (its MSH-7), for a replay on a clinical clock.
    public func timedMessages() -> [(time: Date, bytes: [UInt8])] {
        guard let first = file.hours.first else { return [] }
        var result: [(time: Date, bytes: [UInt8])] = []
        let admitted = start.addingTimeInterval(
            (first.statics.hospitalAdmissionHours.isNaN ? 0 : min(0, first.statics.hospitalAdmissionHours)) * 3600)
        result.append((admitted, message("ADT^A01^ADT_A01", control: "\(stay)-A01", at: admitted, body: [
            "EVN|A01|\(Self.time(admitted))",
            "PV1|1|I|ICU^^^\(Self.facility)||||||||||||||||\(stay)-V|||||||||||||||||||||||||\(Self.time(admitted))",
        ])))
        // ICU admission: the start of ICU hour 1, from which the challenge counts ICULOS.
        result.append((start, message("ADT^A02^ADT_A02", control: "\(stay)-A02", at: start, body: [
            "EVN|A02|\(Self.time(start))",
            "PV1|1|I|ICU^^^\(Self.facility)||||||||||||||||\(stay)-V|||||||||||||||||||||||||\(Self.time(admitted))",
        ])))
        for (hour, row) in file.hours.enumerated() {
            let time = start.addingTimeInterval(Double(hour) * 3600 + 1800)
            var segments = ["OBR|1|\(stay)-\(hour)||VITALS^ICU hourly values^L|||\(Self.time(time))"]
            var index = 0
            for (column, value) in row.values.enumerated() where !value.isNaN {
                let spec = SepsisColumns.measured[column]
                index += 1
                segments.append(
                    "OBX|\(index)|NM|\(spec.loinc[0])^\(spec.name)^LN||\(Self.number(value))|\(spec.unit)|||||F|||\(Self.time(time))")
            }
            guard index > 0 else { continue }
            result.append((time, message("ORU^R01^ORU_R01", control: "\(stay)-H\(hour)", at: time, body: segments)))
        }
        if let onset = onset {
            // The confirmed diagnosis is coded after the stay, with the onset as its clinical time: an outcome
            // label for governance (PPV, lead time), never an input the model reads.
            let coded = start.addingTimeInterval(Double(file.hours.count) * 3600 + 1800)
            result.append((coded, message("ORU^R01^ORU_R01", control: "\(stay)-DX", at: coded, body: [
                "OBR|1|\(stay)-DX||DX^Discharge diagnoses^L|||\(Self.time(onset))",
                "OBX|1|CWE|\(ClinicalOutcome.diagnosis.code)^Diagnosis^LN||91302008^Sepsis^SCT||||||F|||\(Self.time(onset))",
            ])))
        }
        return result
    }

    /// Sepsis onset as the challenge defines it: six hours after the first hour labelled 1 (labels start six
    /// hours early so that early predictions count); nil for a stay without sepsis.
    public var onset: Date? {
        guard let first = file.hours.firstIndex(where: { $0.label == 1 }) else { return nil }
        return start.addingTimeInterval(Double(first + 6) * 3600 + 1800)
    }

    private func message(_ type: String, control: String, at time: Date, body: [String]) -> [UInt8] {
        let first = file.hours[0].statics
        // Age in whole years as a birth date: the stay's age (top-coded at 90 by de-identification anyway).
        let age = first.age.isNaN ? 60 : Int(first.age)
        let birth = Calendar(identifier: .gregorian).date(byAdding: .year, value: -age, to: start) ?? start
        let sex = first.gender == 1 ? "M" : first.gender == 0 ? "F" : "U"
        let header = [
            "MSH|^~\\&|ICU-MONITOR|\(Self.facility)|VIGIL|VIGIL|\(Self.time(time))||\(type)|\(control)|P|2.5.1",
            "PID|1||\(stay)^^^\(Self.facility)^MR||||\(Self.day(birth))|\(sex)",
        ]
        return Array((header + body).joined(separator: "\r").utf8) + [13]
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    static func time(_ date: Date) -> String { format(date, "yyyyMMddHHmmss") + "+0000" }
    static func day(_ date: Date) -> String { format(date, "yyyyMMdd") }

    private static func format(_ date: Date, _ pattern: String) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = pattern
        return formatter.string(from: date)
    }
}
