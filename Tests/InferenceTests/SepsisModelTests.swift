import Foundation
import Inference
import Testing

/// The shipped sepsis model: its files agree with their digest, and the Swift tree evaluator gives the
/// training library's own probabilities.
@Suite struct SepsisModelTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/sepsis")

    /// `lightgbm-check.tsv`: LightGBM's `Booster.predict`, then the 219 features, per held-out row.
    @Test func swiftEvaluatorMatchesLightGBM() throws {
        let model = try SepsisModel.bundled()
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("lightgbm-check.tsv"), encoding: .utf8)
        var rows = 0
        var worst = 0.0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            let numbers = line.split(separator: "\t").map { Double($0)! }
            #expect(numbers.count == 220)
            worst = max(worst, abs(model.probability(Array(numbers.dropFirst())) - numbers[0]))
            rows += 1
        }
        #expect(rows == 300)
        #expect(worst <= 1e-6, "largest difference \(worst)")
    }

    @Test func bundledModelDescribesItself() throws {
        let model = try SepsisModel.bundled()
        #expect(model.metadata.id == "sepsis-lgbm")
        #expect(model.metadata.featureSchema == SepsisFeatureBuilder.schema)
        #expect(model.metadata.threshold > 0 && model.metadata.threshold < 1)
        #expect(model.card.contains(model.metadata.sha256), "the card names the file it describes")
        #expect(model.card.contains("Intended use") && model.card.contains("Limitations"))
    }

    @Test func aChangedModelFileIsRefused() throws {
        let bundled = try SepsisModel.bundled()
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("sepsis-model-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: copy, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: copy) }
        let metadata = try JSONEncoder().encode(bundled.metadata)
        try metadata.write(to: copy.appendingPathComponent("metadata.json"))
        try Data(bundled.card.utf8).write(to: copy.appendingPathComponent("card.md"))
        try Data(#"{"feature_names":[],"tree_info":[]}"#.utf8).write(to: copy.appendingPathComponent("model.json"))
        #expect(throws: SepsisModel.LoadError.self) { try SepsisModel(directory: copy) }
    }

    @Test func stayFileFeaturesAndPredictions() throws {
        let model = try SepsisModel.bundled()
        let septic = try SepsisStayFile(contentsOf: Self.fixtures.appendingPathComponent("p100013.psv"))
        let quiet = try SepsisStayFile(contentsOf: Self.fixtures.appendingPathComponent("p100001.psv"))
        #expect(septic.hours.count == 90 && quiet.hours.count == 24)
        #expect(septic.hours.last?.label == 1 && quiet.hours.allSatisfy { $0.label == 0 })
        let risk = septic.features().map(model.probability)
        let calm = quiet.features().map(model.probability)
        // The septic stay's last hours (labelled) must look riskier than the quiet stay ever does.
        #expect(risk.suffix(6).reduce(0, +) / 6 > calm.max()!)
        let factors = model.topFactors(septic.features().last!, count: 3)
        #expect(factors.count == 3 && factors.allSatisfy { SepsisFeatureBuilder.names.contains($0.name) })
    }

    @Test func malformedStayFilesAreNamed() {
        #expect(throws: SepsisStayFile.FormatError.self) { try SepsisStayFile(text: "HR|O2Sat\n1|2\n") }
        let header = (SepsisColumns.names + ["ICULOS"]).joined(separator: "|")
        #expect(throws: SepsisStayFile.FormatError.self) { try SepsisStayFile(text: header + "\n1|2\n") }
    }
}
