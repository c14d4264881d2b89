import ArgumentParser
import DeidScrubber
import Foundation

/// `vigil deid`: de-identification tools for operators inside the PHI zone.
struct Deid: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deid", abstract: "De-identification tools.", subcommands: [Eval.self, DeidReveal.self])

    struct Eval: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the free-text scrubber over a gold corpus, write its spans and print the score.",
            discussion: """
                FILE is gold JSONL ({"patient","note","text","phi":[…]}); PRED gets one line per note,
                {"patient","note","spans":[{"start","end","type"}]}, in Unicode scalar offsets. The score comes from
                tools/score_deid.py (python3), looked up in the current directory and in the source checkout.
                """)

        @Option(help: "Gold JSONL file.") var gold: String
        @Option(help: "Where to write the predictions (JSONL).") var out: String
        @Option(help: "Comma-separated gold types the scorer ignores (e.g. AGE).") var ignoreTypes = ""
        @Flag(help: "Also tag professions (off in the Safe Harbor policy; presidio_synth labels them).")
        var professions = false
        @Option(help: "Python interpreter for the scorer.") var python = "python3"

        func run() async throws {
            let documents: [GoldDocument]
            do {
                documents = try GoldDocument.load(URL(fileURLWithPath: gold))
            } catch {
                throw CLIFailure("cannot read gold file \(gold): \(error)")
            }
            let scrubber = Scrubber(options: .init(professions: professions))
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            var lines = Data()
            let started = ContinuousClock.now
            var predictions: [[PHISpan]] = []
            for document in documents { predictions.append(scrubber.detect(document.text)) }
            let elapsed = ContinuousClock.now - started
            for (document, spans) in zip(documents, predictions) {
                lines.append(try encoder.encode(PredictionLine(document: document, spans: spans)))
                lines.append(UInt8(ascii: "\n"))
            }
            try lines.write(to: URL(fileURLWithPath: out))
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
            // Unbuffered, so it comes before the scorer's output.
            FileHandle.standardOutput.write(
                Data("scrubbed \(documents.count) notes in \(String(format: "%.3f", seconds)) s; wrote \(out)\n".utf8))
            try score()
        }

        private func score() throws {
            guard let script = Self.scorer() else {
                throw CLIFailure("tools/score_deid.py not found: run from the repository root")
            }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            var arguments = [python, script, "--gold", gold, "--pred", out]
            if !ignoreTypes.isEmpty { arguments += ["--ignore-types", ignoreTypes] }
            process.arguments = arguments
            try process.run()
            process.waitUntilExit()
            if process.terminationStatus != 0 { throw ExitCode(process.terminationStatus) }
        }

        /// The scorer next to the current directory, else in the checkout this binary was built from.
        static func scorer() -> String? {
            let here = FileManager.default.currentDirectoryPath + "/tools/score_deid.py"
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .deletingLastPathComponent().appendingPathComponent("tools/score_deid.py").path
            return [here, root].first { FileManager.default.fileExists(atPath: $0) }
        }
    }
}
