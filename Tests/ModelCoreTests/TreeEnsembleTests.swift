import Foundation
import Testing
import VigilModelCore

/// The Swift tree walk on a small hand-built LightGBM dump: values computed by hand from the trees below.
@Suite struct TreeEnsembleTests {
    /// Tree 1 splits feature 0 at 10 (NaN → default right), then feature 1 at 2.5 (missing as zero → left).
    /// Tree 2 is a stump on feature 1 at 0.5 with missing_type None (NaN read as 0.0).
    static let dump = #"""
        {"objective": "binary sigmoid:1", "feature_names": ["hr", "lactate"],
         "tree_info": [
          {"tree_structure": {"split_feature": 0, "threshold": 10.0, "decision_type": "<=", "default_left": false,
             "missing_type": "NaN", "internal_value": 0.1,
             "left_child": {"leaf_value": -0.5},
             "right_child": {"split_feature": 1, "threshold": 2.5, "decision_type": "<=", "default_left": true,
                "missing_type": "Zero", "internal_value": 0.3,
                "left_child": {"leaf_value": 0.2}, "right_child": {"leaf_value": 0.9}}}},
          {"tree_structure": {"split_feature": 1, "threshold": 0.5, "decision_type": "<=", "default_left": true,
             "missing_type": "None", "internal_value": -0.05,
             "left_child": {"leaf_value": -0.25}, "right_child": {"leaf_value": 0.15}}},
          {"tree_structure": {"leaf_value": 0.05}}
         ]}
        """#

    static let model = try! TreeEnsemble(lightGBMJSON: Data(dump.utf8))

    /// Row → raw score, worked out by hand from the trees above.
    static let cases: [([Double], Double)] = [
        ([5, 1], -0.30),  // tree 1 left (-0.5); tree 2: 1 > 0.5 right (0.15); tree 3 0.05
        ([10, 0], -0.70),  // 10 <= 10 goes left; 0 <= 0.5 left (-0.25)
        ([11, 2.5], 0.40),  // right, then 2.5 <= 2.5 left (0.2); 0.15; 0.05
        ([11, 3], 1.10),  // 0.9 + 0.15 + 0.05
        ([.nan, 3], 1.10),  // NaN on a NaN-type split takes the default (right)
        ([20, .nan], 0.00),  // NaN → 0 on a Zero-type split takes the default (left, 0.2); tree 2 reads 0 (-0.25)
    ]

    @Test(arguments: cases)
    func rawScoresFollowLightGBMsRules(row: [Double], expected: Double) {
        #expect(abs(Self.model.rawScore(row) - expected) < 1e-12)
        #expect(abs(Self.model.probability(row) - 1 / (1 + exp(-expected))) < 1e-12)
    }

    @Test func contributionsAddUpToTheRawScoreMinusTheBias() {
        let row = [11.0, 3.0]
        let contributions = Self.model.contributions(row)
        // Bias: each tree's root expected value (0.1, -0.05, and the single leaf 0.05).
        let bias = 0.1 - 0.05 + 0.05
        #expect(abs(contributions.reduce(0, +) + bias - Self.model.rawScore(row)) < 1e-12)
        // Tree 1: hr moves 0.1 → 0.3 (+0.2); lactate moves 0.3 → 0.9 (+0.6); tree 2: lactate -0.05 → 0.15 (+0.2).
        #expect(abs(contributions[0] - 0.2) < 1e-12)
        #expect(abs(contributions[1] - 0.8) < 1e-12)
        #expect(Self.model.featureNames == ["hr", "lactate"])
    }

    @Test func categoricalSplitsAndGarbageAreRefused() {
        let categorical = Self.dump.replacingOccurrences(of: #""decision_type": "<=", "default_left": false"#, with: #""decision_type": "==", "default_left": false"#)
        #expect(throws: TreeEnsemble.LoadError.self) { try TreeEnsemble(lightGBMJSON: Data(categorical.utf8)) }
        #expect(throws: (any Error).self) { try TreeEnsemble(lightGBMJSON: Data("{}".utf8)) }
    }
}
