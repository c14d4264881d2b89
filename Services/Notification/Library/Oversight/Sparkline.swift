import Foundation

/// A server-side SVG sparkline: the polyline's points in a fixed viewBox, so the template needs no markup from
/// code (only numbers, HTML-escaped like everything else). Time runs left to right over the window.
struct Sparkline: Sendable {
    static let width = 240.0
    static let height = 48.0

    var points: String
    var minimum: Double
    var maximum: Double
    /// The y coordinate of the alert's threshold, if it falls inside the drawn range.
    var thresholdY: Double?
    /// The newest point, marked so that a single score is visible too.
    var last: (x: Double, y: Double)

    init?(_ samples: [(Date, Double)], from start: Date, to end: Date, threshold: Double?) {
        guard !samples.isEmpty, end > start else { return nil }
        let values = samples.map(\.1) + (threshold.map { [$0] } ?? [])
        let low = values.min() ?? 0
        let high = values.max() ?? 0
        let span = high - low > 0 ? high - low : 1
        let pad = 4.0
        func y(_ value: Double) -> Double {
            Self.round(Self.height - pad - (value - low) / span * (Self.height - 2 * pad))
        }
        minimum = low
        maximum = high
        let coordinates = samples.map { date, value in
            (
                x: Self.round(
                    pad + date.timeIntervalSince(start) / end.timeIntervalSince(start) * (Self.width - 2 * pad)),
                y: y(value)
            )
        }
        points = coordinates.map { "\($0.x),\($0.y)" }.joined(separator: " ")
        last = coordinates[coordinates.count - 1]
        thresholdY = threshold.map(y)
    }

    static func round(_ value: Double) -> Double { (value * 10).rounded() / 10 }
}
