import Foundation

/// The score distribution drift is measured against: bin edges and each bin's share, from the model's
/// held-out predictions (`<model cards>/<id>/<version>.reference.json`, written by `make train`) or, for a
/// score without one, from the model's first monitored window.
public struct ScoreReference: Hashable, Sendable, Codable {
    /// Ascending inner edges: bin i holds values in [edges[i-1], edges[i]).
    public var edges: [Double]
    public var proportions: [Double]

    public init(edges: [Double], proportions: [Double]) {
        self.edges = edges
        self.proportions = proportions
    }

    /// Deciles of `values` as the reference (the baseline window); nil for fewer than 20 values or one value.
    public init?(baseline values: [Double]) {
        guard values.count >= 20 else { return nil }
        let sorted = values.sorted()
        let edges = Array(Set((1..<10).map { sorted[sorted.count * $0 / 10] })).sorted()
        guard !edges.isEmpty else { return nil }
        self.edges = edges
        let counts = Self.counts(sorted, edges)
        proportions = counts.map { Double($0) / Double(values.count) }
    }

    public static func load(path: String) -> ScoreReference? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? JSONDecoder().decode(ScoreReference.self, from: data)
    }

    static func counts(_ values: [Double], _ edges: [Double]) -> [Int] {
        var counts = Array(repeating: 0, count: edges.count + 1)
        for value in values { counts[bin(value, edges)] += 1 }
        return counts
    }

    static func bin(_ value: Double, _ edges: [Double]) -> Int {
        var low = 0
        var high = edges.count
        while low < high {
            let middle = (low + high) / 2
            if value >= edges[middle] { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// PSI = Σ (actual − expected) · ln(actual / expected), shares floored at 0.0001 so an empty bin is finite.
    /// Conventionally < 0.1 stable, 0.1–0.25 moderate, > 0.25 a major shift.
    public func psi(_ values: [Double]) -> Double? {
        guard !values.isEmpty, proportions.count == edges.count + 1 else { return nil }
        let counts = Self.counts(values, edges)
        var total = 0.0
        for (count, expected) in zip(counts, proportions) {
            let a = max(Double(count) / Double(values.count), 0.0001)
            let e = max(expected, 0.0001)
            total += (a - e) * log(a / e)
        }
        return total
    }

    func calibration(_ pairs: [(Double, Bool)]) -> [SafetyFigures.CalibrationBin] {
        var bins = Array(repeating: (n: 0, sum: 0.0, positive: 0), count: edges.count + 1)
        for (value, positive) in pairs {
            let i = Self.bin(value, edges)
            bins[i].n += 1
            bins[i].sum += value
            if positive { bins[i].positive += 1 }
        }
        return bins.filter { $0.n > 0 }.map {
            .init(records: $0.n, meanScore: $0.sum / Double($0.n), observedRate: Double($0.positive) / Double($0.n))
        }
    }
}
