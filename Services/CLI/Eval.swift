import ArgumentParser
import Foundation
import Inference

/// `vigil eval sepsis`: challenge-format predictions from the served Swift code path (features and trees),
/// for `score_sepsis.py`. `vigil features export`: the same features as a matrix for `tools/sepsis/train.py`.
struct Eval: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Evaluate models offline.", subcommands: [Sepsis.self])

    struct Sepsis: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write PredictedProbability|PredictedLabel per stay (PhysioNet/CinC 2019 format).",
            discussion: """
                With --fold, only that patient-level fold (sha256(stay) mod --folds) is written, plus a labels/
                directory of links to its stays: score with
                python3 score_sepsis.py OUT/predictions OUT/labels
                """)
        @OptionGroup var stays: StayOptions
        @Option(help: "Output directory.") var out: String
        @Option(help: "Model directory (default: the model shipped with vigil-infer).") var model: String?
        @Option(help: "Decision threshold (default: the model's, chosen by cross-validation).") var threshold: Double?

        func run() async throws {
            let served = try model.map { try SepsisModel(directory: URL(fileURLWithPath: $0)) } ?? SepsisModel.bundled()
            let cutoff = threshold ?? served.metadata.threshold
            let files = try stays.selected()
            let predictions = URL(fileURLWithPath: out).appendingPathComponent("predictions")
            let labels = URL(fileURLWithPath: out).appendingPathComponent("labels")
            for directory in [predictions, labels] {
                try? FileManager.default.removeItem(at: directory)
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            }
            var rows = 0
            for file in files {
                let stay = try SepsisStayFile(contentsOf: file)
                var text = "PredictedProbability|PredictedLabel\n"
                for features in stay.features() {
                    let probability = served.probability(features)
                    text += "\(String(format: "%.6f", probability))|\(probability >= cutoff ? 1 : 0)\n"
                }
                rows += stay.hours.count
                try Data(text.utf8).write(to: predictions.appendingPathComponent(file.lastPathComponent))
                try FileManager.default.createSymbolicLink(
                    at: labels.appendingPathComponent(file.lastPathComponent), withDestinationURL: file.standardizedFileURL)
            }
            print("\(files.count) stays, \(rows) hours, model \(served.metadata.id)@\(served.metadata.version), threshold \(cutoff)")
            print("score: python3 score_sepsis.py \(predictions.path) \(labels.path)")
        }
    }
}

/// Which challenge stays a command reads.
struct StayOptions: ParsableArguments {
    @Option(help: "Directory of pNNNNNN.psv stays.") var data: String
    @Option(help: "Only this patient-level fold (0-based).") var fold: Int?
    @Option(help: "Number of folds.") var folds = 5

    func selected() throws -> [URL] {
        let directory = URL(fileURLWithPath: data)
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
            throw ValidationError("--data \(data): not a readable directory")
        }
        let stays = names.filter { $0.hasSuffix(".psv") }.sorted()
        guard !stays.isEmpty else { throw ValidationError("--data \(data): no .psv files") }
        return stays.filter { name in
            fold.map { SepsisFolds.fold(of: String(name.dropLast(4)), folds: folds) == $0 } ?? true
        }.map { directory.appendingPathComponent($0) }
    }
}

struct Features: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export model features.", subcommands: [Export.self])

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Sepsis features of every stay hour: features.f64 (little-endian float64, row-major),",
            discussion: "names.txt (one feature per line) and rows.tsv (stay, hour, label, fold).")
        @OptionGroup var stays: StayOptions
        @Option(help: "Output directory.") var out: String

        func run() async throws {
            let directory = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let matrixURL = directory.appendingPathComponent("features.f64")
            guard FileManager.default.createFile(atPath: matrixURL.path, contents: nil) else {
                throw ValidationError("--out \(out): cannot write features.f64")
            }
            let matrix = try FileHandle(forWritingTo: matrixURL)
            defer { try? matrix.close() }
            var index = "stay\thour\tlabel\tfold\n"
            var rows = 0
            for file in try stays.selected() {
                let name = String(file.lastPathComponent.dropLast(4))
                let stay = try SepsisStayFile(contentsOf: file)
                var bytes: [UInt8] = []
                for (hour, features) in stay.features().enumerated() {
                    for value in features { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
                    index += "\(name)\t\(hour)\t\(stay.hours[hour].label ?? -1)\t\(SepsisFolds.fold(of: name, folds: stays.folds))\n"
                    rows += 1
                }
                try matrix.write(contentsOf: bytes)
            }
            try Data(index.utf8).write(to: directory.appendingPathComponent("rows.tsv"))
            try Data((SepsisFeatureBuilder.names.joined(separator: "\n") + "\n").utf8)
                .write(to: directory.appendingPathComponent("names.txt"))
            print("\(rows) rows × \(SepsisFeatureBuilder.names.count) features (\(SepsisFeatureBuilder.schema)) → \(out)")
        }
    }
}
