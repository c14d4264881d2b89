import Foundation
import VigilModelCore

/// One stored observation of a score input.
public struct Observation: Hashable, Sendable {
    public var eventID: String
    public var code: String
    public var time: Date
    public var value: Double?
    public var text: String?
    /// UCUM unit of `value`, as ingest normalised it.
    public var unit: String?

    public init(eventID: String, code: String, time: Date, value: Double?, text: String?, unit: String? = nil) {
        self.eventID = eventID
        self.code = code
        self.time = time
        self.value = value
        self.text = text
        self.unit = unit
    }
}

/// A patient's current observations (corrections applied, retractions removed), turned into score inputs
/// as of an instant: the latest value of each input within its freshness window, never a later one.
public struct PatientObservations: Sendable {
    public let observations: [Observation]

    public init(_ observations: [Observation]) {
        self.observations = observations.sorted { $0.time < $1.time }
    }

    func latest(_ codes: [String], asOf time: Date) -> Observation? {
        observations.last { observation in
            codes.contains(observation.code) && observation.time <= time
                && time.timeIntervalSince(observation.time) <= (VitalCode.freshness[observation.code] ?? 0)
        }
    }

    /// The inputs as of `time`, and the event ids they came from.
    public func vitals(asOf time: Date) -> (VitalSigns, [String]) {
        var used: [String] = []
        func number(_ codes: String...) -> Double? {
            guard let found = latest(codes, asOf: time), let value = found.value else { return nil }
            used.append(found.eventID)
            return value
        }
        var vitals = VitalSigns()
        vitals.respiratoryRate = number(VitalCode.respiratoryRate)
        // SpO2 as a fraction (≤ 1) is read as a percentage.
        vitals.spo2 = number(VitalCode.spo2).map { $0 <= 1 ? $0 * 100 : $0 }
        if let oxygen = latest([VitalCode.o2Flow, VitalCode.fio2, VitalCode.ventilatorFio2], asOf: time), let value = oxygen.value {
            used.append(oxygen.eventID)
            vitals.onOxygen = oxygen.code == VitalCode.o2Flow ? value > 0 : (value <= 1 ? value * 100 : value) > 21
        }
        vitals.systolic = number(VitalCode.systolic)
        vitals.heartRate = number(VitalCode.heartRate)
        if let level = latest([VitalCode.consciousness], asOf: time), let consciousness = Self.acvpu(level) {
            used.append(level.eventID)
            vitals.consciousness = consciousness
        }
        vitals.gcs = number(VitalCode.gcs)
        vitals.temperature = number(VitalCode.temperature)
        vitals.wbc = number(VitalCode.wbc)
        vitals.bandNeutrophils = number(VitalCode.bands)
        vitals.paco2 = number(VitalCode.paco2)
        return (vitals, used)
    }

    /// Creatinine in mg/dL over the 7 days up to `time` (µmol/L ÷ 88.4).
    public func creatinine(asOf time: Date) -> [(time: Date, mgdl: Double)] {
        observations.compactMap { observation in
            guard observation.time <= time, time.timeIntervalSince(observation.time) <= 7 * 86_400 + 48 * 3600,
                let value = observation.value
            else { return nil }
            switch observation.code {
            case VitalCode.creatinineMass: return (observation.time, value)
            case VitalCode.creatinineMolar: return (observation.time, value / 88.4)
            default: return nil
            }
        }
    }

    /// ACVPU from a code or text: `A`, `C`, `V`, `P`, `U` or the words.
    static func acvpu(_ observation: Observation) -> Consciousness? {
        guard let text = observation.text?.trimmingCharacters(in: .whitespaces).lowercased(), let first = text.first else {
            return nil
        }
        if text.hasPrefix("new confusion") || text == "confused" { return .newConfusion }
        switch first {
        case "a": return .alert
        case "c": return .newConfusion
        case "v": return .voice
        case "p": return .pain
        case "u": return .unresponsive
        default: return nil
        }
    }
}
