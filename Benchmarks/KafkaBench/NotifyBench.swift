import ArgumentParser
import Foundation
import Notification
import VigilModelCore

/// Alert decisions on one core, without PostgreSQL: the shipped policy's engine over a stream of NEWS2 and
/// sepsis records for many patients (episodes kept in memory as the store would load them), against the
/// baseline of only matching each record to its condition and rule.
struct NotifyBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Measure risk records turned into alert decisions per second on one core.")

    @Option(help: "Patients.") var patients = 2_000
    @Option(help: "Records per patient.") var records = 100
    @Option(help: "Folder for the JSON report.") var out = "bench-results"

    func run() async throws {
        let policy = try AlertPolicyLoader.builtIn()
        let engine = AlertEngine(policy: policy)
        let news2 = ModelReference(id: "news2", version: "rcp-2017.1", sha256: HexDigest.sha256(framing: ["news2"]))
        let sepsis = ModelReference(id: "sepsis-lgbm", version: "1.0.0", sha256: HexDigest.sha256(framing: ["sepsis"]))
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        var stream: [RiskRecord] = []
        for patient in 0..<patients {
            let pseudonym = try Pseudonym.derive(
                assigningAuthority: "B", patientID: "\(patient)", key: Array(repeating: 5, count: 32), keyID: "k")
            for n in 0..<records {
                let time = start.addingTimeInterval(Double(n) * 300)
                let learned = n % 2 == 1
                // Scores drift up and down so episodes open, re-fire, rise, fall and clear.
                let wave = Double((n / 10 + patient) % 9)
                stream.append(
                    RiskRecord(
                        id: EventID.derive(namespace: "bench", parts: [String(patient), String(n)]), patient: pseudonym,
                        model: learned ? sepsis : news2, scoreName: learned ? "sepsis-risk" : "news2",
                        value: learned ? wave / 100 : wave, parts: ["news2.rr": wave > 6 ? 3 : 1],
                        inputEventIDs: [], computedAt: time, eventTime: time, band: "x", modelStatus: .active))
            }
        }
        let clock = ContinuousClock()
        var matched = 0
        let begin = clock.now
        for record in stream where policy.condition(for: record)?.matchingRule(record) != nil { matched += 1 }
        let matchRate = Double(stream.count) / (clock.now - begin).seconds

        var episodes: [String: EpisodeState] = [:]
        var emitted = 0
        let decide = clock.now
        for record in stream {
            let condition = policy.condition(for: record)?.id ?? ""
            let key = record.patient.rawValue + "|" + condition
            let context = RecordContext(latestEventTime: record.eventTime)
            let result = try engine.apply(episodes[key], .record(record, context), now: record.computedAt)
            episodes[key] = result.newState
            emitted += result.effects.reduce(0) { count, effect in
                if case .emit = effect { return count + 1 }
                return count
            }
        }
        let rate = Double(stream.count) / (clock.now - decide).seconds
        let report = """
            ## Alert decisions (\(stream.count) records, \(patients) patients, shipped policy, one core)

            | path | records/s | µs/record |
            |---|---:|---:|
            | match condition and rule only (baseline) | \(Int(matchRate)) | \(String(format: "%.2f", 1e6 / matchRate)) |
            | full engine: episode, decision, effects | \(Int(rate)) | \(String(format: "%.2f", 1e6 / rate)) |

            Target: ≥ 50,000 records/s turned into decisions on one core. \(matched) records matched a rule; \
            \(episodes.values.filter { $0.status.isLive }.count) episodes live at the end.
            """
        print(report + " \(emitted) alert events.")
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: ["decisions_per_s": rate, "match_per_s": matchRate], options: [.sortedKeys])
            .write(to: URL(fileURLWithPath: "\(out)/notify.json"))
    }
}
