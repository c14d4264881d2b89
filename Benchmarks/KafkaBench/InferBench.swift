import ArgumentParser
import Foundation
import Inference
import VigilModelCore

/// The scoring path on one core, without PostgreSQL: for each event, the patient's in-memory observations
/// as of the event → NEWS2, qSOFA, SIRS, MEWS (and KDIGO when creatinine is present), then the learned
/// sepsis model as the service runs it (closed hours kept per patient, one hour's features, 300 trees), and
/// without that cache. Beside them the
/// parts alone: one hour's features from a kept builder, and one model prediction.
struct InferBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer", abstract: "Measure state + early-warning scores per event on one core.")

    @Option(help: "Patients.") var patients = 200
    @Option(help: "Hours of vitals per patient (7 inputs an hour).") var hours = 48
    @Option(help: "Folder for the JSON report.") var out = "bench-results"

    func run() async throws {
        let codes = ["9279-1", "59408-5", "3151-8", "8480-6", "8867-4", "8310-5", "2160-0"]
        let units = ["/min", "%", "L/min", "mm[Hg]", "/min", "Cel", "mg/dL"]
        let model = try SepsisModel.bundled()
        let base = Date(timeIntervalSince1970: 1_714_566_000)
        var streams: [[Observation]] = []
        for patient in 0..<patients {
            var observations: [Observation] = []
            for hour in 0..<hours {
                for (index, code) in codes.enumerated() {
                    let value = [18.0, 95, 0, 118, 88, 37.2, 1.0][index] + Double((patient + hour) % 5)
                    observations.append(
                        Observation(
                            eventID: "e\(patient)-\(hour)-\(index)", code: code,
                            time: base.addingTimeInterval(Double(hour * 3600 + index * 60)), value: value, text: nil,
                            unit: units[index]))
                }
            }
            streams.append(observations)
        }
        let events = streams.reduce(0) { $0 + $1.count }
        let clock = ContinuousClock()
        var checksum = 0.0
        func bedside(_ window: PatientObservations, _ time: Date) {
            let (vitals, _) = window.vitals(asOf: time)
            checksum += Double(NEWS2.score(vitals).value + QSOFA.score(vitals).value + SIRS.score(vitals).value)
            checksum += Double(MEWS.score(vitals).value)
            let creatinine = window.creatinine(asOf: time)
            if !creatinine.isEmpty { checksum += Double(KDIGO.stage(creatinine, at: time).value) }
        }
        // A patient's recent window, as the service loads it: the last 9 days up to each event.
        let scores = try measure(clock, events) {
            for stream in streams {
                for (index, observation) in stream.enumerated() {
                    bedside(PatientObservations(Array(stream[max(0, index - 60)...index])), observation.time)
                }
            }
        }
        let statics = SepsisStatics(age: 64, gender: 0, hospitalAdmissionHours: -3)
        let rebuilt = try measure(clock, events) {
            for stream in streams {
                for (index, observation) in stream.enumerated() {
                    let state = PatientObservations(Array(stream[...index]))
                    bedside(state, observation.time)
                    let hours = SepsisHours(state.observations, anchor: base, asOf: observation.time)
                    checksum += model.probability(hours.features(statics: statics))
                }
            }
        }
        let cache = SepsisStayCache()
        let patientIDs = try (0..<patients).map {
            try Pseudonym.derive(assigningAuthority: "B", patientID: "\($0)", key: Array(repeating: 3, count: 32), keyID: "k")
        }
        let withModel = try measure(clock, events) {
            for (patient, stream) in zip(patientIDs, streams) {
                for (index, observation) in stream.enumerated() {
                    let state = PatientObservations(Array(stream[...index]))
                    bedside(state, observation.time)
                    let features = cache.features(
                        for: patient, observations: state.observations, anchor: base, asOf: observation.time, statics: statics)
                    checksum += model.probability(features)
                }
            }
        }
        // The parts: the features of one more hour from a builder that keeps the closed hours, and the trees.
        let rows = SepsisHours(streams[0], anchor: base, asOf: streams[0].last!.time).rows
        var builder = SepsisFeatureBuilder()
        for row in rows.dropLast() { builder.append(row) }
        let repeats = 100_000
        var features: [Double] = []
        let oneHour = try measure(clock, repeats) {
            for _ in 0..<repeats { features = builder.features(for: rows[rows.count - 1], statics: statics, iculos: 48) }
        }
        let prediction = try measure(clock, repeats) {
            for _ in 0..<repeats { checksum += model.probability(features) }
        }
        let report = """
            ## Inference scoring (\(events) events, \(patients) patients × \(hours) h, one core)

            | path | events/s | µs/event |
            |---|---:|---:|
            | state window + NEWS2, qSOFA, SIRS, MEWS, KDIGO | \(Int(scores)) | \(micro(scores)) |
            | the same + sepsis model, closed hours kept per patient (the service's path) | \(Int(withModel)) | \(micro(withModel)) |
            | the same + sepsis model, every hour rebuilt from the anchor (no cache) | \(Int(rebuilt)) | \(micro(rebuilt)) |
            | one hour's sepsis features from a kept builder | \(Int(oneHour)) | \(micro(oneHour)) |
            | one sepsis model prediction (\(model.metadata.id) \(model.metadata.version), 300 trees) | \(Int(prediction)) | \(micro(prediction)) |

            Target: ≥ 50,000 events/s per core for state + scores + model. Checksum \(Int(checksum)).
            """
        print(report)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try JSONSerialization.data(
            withJSONObject: [
                "events_per_s": scores, "events_per_s_with_model": withModel, "events_per_s_with_model_rebuilt": rebuilt, "features_per_s": oneHour,
                "predictions_per_s": prediction,
            ], options: [.sortedKeys]
        ).write(to: URL(fileURLWithPath: "\(out)/infer.json"))
    }

    /// Operations per second of `body`, which performs `count` of them.
    func measure(_ clock: ContinuousClock, _ count: Int, _ body: () throws -> Void) throws -> Double {
        let start = clock.now
        try body()
        return Double(count) / (clock.now - start).seconds
    }

    func micro(_ rate: Double) -> String { String(format: "%.2f", 1e6 / rate) }
}
