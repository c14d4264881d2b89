import Foundation
import VigilModelCore

extension PatientSummary {
    /// Readable names of the inputs a summary shows; codes stay out of prompts.
    static let inputNames: [String: String] = [
        VitalCode.respiratoryRate: "respiratory rate", VitalCode.spo2: "SpO2", VitalCode.o2Flow: "oxygen flow",
        VitalCode.fio2: "FiO2", VitalCode.systolic: "systolic blood pressure", VitalCode.heartRate: "heart rate",
        VitalCode.gcs: "GCS", VitalCode.temperature: "temperature", VitalCode.wbc: "white cell count",
        VitalCode.creatinineMass: "creatinine", "2524-7": "lactate",
    ]

    /// The latest fresh value of each named input as of `asOf`, with its age in hours.
    init(state: PatientObservations, asOf: Date, statics: SepsisStatics?, scores: [Score]) {
        var latest: [String: Observation] = [:]
        for observation in state.observations where observation.time <= asOf && observation.value != nil {
            guard Self.inputNames[observation.code] != nil,
                asOf.timeIntervalSince(observation.time) <= (VitalCode.freshness[observation.code] ?? 24 * 3600)
            else { continue }
            latest[observation.code] = observation
        }
        let measurements = latest.keys.sorted().compactMap { code -> Measurement? in
            guard let observation = latest[code], let value = observation.value, let name = Self.inputNames[code] else { return nil }
            return Measurement(
                name: name, value: value, unit: observation.unit ?? "", hoursAgo: asOf.timeIntervalSince(observation.time) / 3600)
        }
        let age = statics.flatMap { $0.age.isNaN ? nil : Int($0.age) }
        let sex: AdministrativeSex? = statics.flatMap { $0.gender == 1 ? .male : $0.gender == 0 ? .female : nil }
        self.init(ageYears: age, sex: sex, measurements: measurements, scores: scores)
    }
}
