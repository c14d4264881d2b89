import ArgumentParser
import Foundation
import VigilHL7

/// The HL7 parser on a corpus folder, next to python-hl7 parsing the same files in the same command.
struct HL7Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hl7", abstract: "Measure the ER7 parser against python-hl7 on one core.")

    @Option(help: "Folder of .hl7 files (default: the full ms/ samples in ../shared, else the repo's copy).")
    var corpus = HL7Bench.defaultCorpus
    @Option(help: "Seconds per measurement.") var seconds = 3.0
    @Option(help: "Python interpreter with python-hl7 (empty to skip the baseline).") var python = ""
    @Option(help: "Folder for the Markdown and JSON report.") var out = "bench-results"

    static var defaultCorpus: String {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let shared = root.deletingLastPathComponent().appendingPathComponent("shared/data/hl7v2/ms/samples").path
        return FileManager.default.fileExists(atPath: shared) ? shared
            : root.appendingPathComponent("Tests/Fixtures/hl7v2/ms/samples").path
    }

    func run() async throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: corpus).filter { $0.hasSuffix(".hl7") }.sorted()
        let messages = try files.map { Array(try Data(contentsOf: URL(fileURLWithPath: "\(corpus)/\($0)"))) }
        let bytes = messages.reduce(0) { $0 + $1.count }
        // Three depths: lazy parse (offsets only); plus every component's raw text (python-hl7's parse
        // builds the same nested strings); plus full decoding (escapes, character set) of every component.
        let lazy = measure(messages, bytes) { _ = try? HL7Message(parsing: $0) }
        let raw = measure(messages, bytes) { bytes in
            guard let message = try? HL7Message(parsing: bytes) else { return }
            for segment in message.segments {
                for index in 0...segment.fieldCount {
                    for repetition in segment.field(index).repetitions {
                        for component in repetition.components { _ = String(decoding: component.rawBytes, as: UTF8.self) }
                    }
                }
            }
        }
        let decoded = measure(messages, bytes) { bytes in
            guard let message = try? HL7Message(parsing: bytes) else { return }
            for segment in message.segments {
                for index in 0...segment.fieldCount {
                    for repetition in segment.field(index).repetitions {
                        for component in repetition.components { _ = component.string }
                    }
                }
            }
        }
        var rows = [
            ("Swift VigilHL7, parse (lazy, offsets only)", lazy),
            ("Swift VigilHL7, parse + every component as raw text", raw),
            ("Swift VigilHL7, parse + every component decoded", decoded),
        ]
        var baseline: Rate?
        if !python.isEmpty {
            baseline = try pythonBaseline()
            rows.append(("python-hl7 hl7.parse", baseline!))
        }
        var lines = [
            "## HL7 v2 parser (\(messages.count) messages, \(bytes / 1024) KiB, one core, \(seconds) s each)", "",
            "| parser | messages/s | MB/s | × python-hl7 |", "|---|---:|---:|---:|",
        ]
        for (name, rate) in rows {
            let ratio = baseline.map { String(format: "%.0f×", rate.messages / $0.messages) } ?? "n/a"
            lines.append(String(format: "| %@ | %.0f | %.1f | %@ |", name, rate.messages, rate.megabytes, ratio))
        }
        lines.append("")
        lines.append("Target: ≥ 100× python-hl7. python-hl7 builds nested lists of strings without unescaping: the")
        lines.append("'raw text' row is the like-for-like comparison; 'decoded' also unescapes and converts charsets.")
        let report = lines.joined(separator: "\n")
        print(report)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data(report.utf8).write(to: URL(fileURLWithPath: "\(out)/hl7.md"))
        let json: [String: Any] = Dictionary(uniqueKeysWithValues: rows.map {
            ($0.0, ["messages_per_s": $0.1.messages, "mb_per_s": $0.1.megabytes])
        })
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: "\(out)/hl7.json"))
    }

    struct Rate {
        var messages: Double
        var megabytes: Double
    }

    func measure(_ messages: [[UInt8]], _ bytes: Int, _ body: ([UInt8]) -> Void) -> Rate {
        let clock = ContinuousClock()
        let start = clock.now
        var rounds = 0
        while (clock.now - start).seconds < seconds {
            for message in messages { body(message) }
            rounds += 1
        }
        let elapsed = (clock.now - start).seconds
        return Rate(
            messages: Double(rounds * messages.count) / elapsed, megabytes: Double(rounds * bytes) / elapsed / 1e6)
    }

    func pythonBaseline() throws -> Rate {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("hl7_bench.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--corpus", corpus, "--seconds", "\(seconds)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        struct Output: Decodable { var messages_per_s: Double; var mb_per_s: Double }
        let output = try JSONDecoder().decode(Output.self, from: data)
        return Rate(messages: output.messages_per_s, megabytes: output.mb_per_s)
    }
}
