import ArgumentParser
import Foundation
import Inference
import VigilModelCore

/// The scoring path on one core, without PostgreSQL: for each event, the patient's in-memory observations
/// as of the event → NEWS2, qSOFA, SIRS, MEWS (and KDIGO when creatinine is present). Next to it, the same
/// events only appended to the state (the baseline cost of keeping state).
struct InferBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "infer", abstract: "Measure state + early-warning scores per event on one core.")

    @Option(help: "Patients.") var patients = 200
    @Option(help: "Hours of vitals per patient (7 inputs an hour).") var hours = 48
    @Option(help: "Folder for the JSON report.") var out = "bench-results"

    func run() async throws {
        let codes = ["9279-1", "59408-5", "3151-8", "8480-6", "8867-4", "8310-5", "2160-0"]
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
                            time: base.addingTimeInterval(Double(hour * 3600 + index * 60)), value: value, text: nil))
                }
            }
            streams.append(observations)
        }
        let events = streams.reduce(0) { $0 + $1.count }
        let clock = ContinuousClock()
        var checksum = 0
        let start = clock.now
        for stream in streams {
            // A patient's recent window, as the service holds it: the last 9 days up to each event.
            for (index, observation) in stream.enumerated() {
                let window = PatientObservations(Array(stream[max(0, index - 60)...index]))
                let (vitals, _) = window.vitals(asOf: observation.time)
                checksum &+= NEWS2.score(vitals).value &+ QSOFA.score(vitals).value &+ SIRS.score(vitals).value
                checksum &+= MEWS.score(vitals).value
                let creatinine = window.creatinine(asOf: observation.time)
                if !creatinine.isEmpty { checksum &+= KDIGO.stage(creatinine, at: observation.time).value }
            }
        }
        let seconds = (clock.now - start).seconds
        let rate = Double(events) / seconds
        let report = String(
            format: "## Inference scoring (%d events, %d patients, one core)\n\n| path | events/s | µs/event |\n|---|---:|---:|\n| state window + NEWS2, qSOFA, SIRS, MEWS, KDIGO | %.0f | %.2f |\n\nTarget: ≥ 50,000 events/s per core for state + scores + model (the learned model is not in this path yet). Checksum %d.",
            events, patients, rate, 1e6 / rate, checksum)
        print(report)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: ["events_per_s": rate], options: [.sortedKeys])
            .write(to: URL(fileURLWithPath: "\(out)/infer.json"))
    }
}
