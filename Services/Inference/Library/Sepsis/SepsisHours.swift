import Foundation

/// Online, a stay's hours come from events: hour h holds the observations with anchor + h·1 h ≤ time <
/// anchor + (h+1)·1 h, averaged per column (several values in one hour → their mean), converted to the
/// challenge's units. The anchor is the patient's first observation, so hour h is the challenge's ICULOS h+1.
public struct SepsisHours: Sendable {
    public var anchor: Date
    /// Raw values per hour (NaN = not measured), hours 0…last.
    public var rows: [[Double]]

    /// The hours up to and including `asOf`'s hour, from the observations at or before `asOf`.
    public init(_ observations: [Observation], anchor: Date, asOf: Date) {
        self.anchor = anchor
        let last = max(0, Int((asOf.timeIntervalSince(anchor) / 3600).rounded(.down)))
        var sums = Array(repeating: Array(repeating: 0.0, count: SepsisColumns.measured.count), count: last + 1)
        var counts = sums
        for observation in observations where observation.time >= anchor && observation.time <= asOf {
            guard let column = SepsisColumns.indexByLOINC[observation.code], let value = observation.value,
                let converted = SepsisColumns.measured[column].convert(value, from: observation.unit)
            else { continue }
            let hour = Int((observation.time.timeIntervalSince(anchor) / 3600).rounded(.down))
            sums[hour][column] += converted
            counts[hour][column] += 1
        }
        rows = zip(sums, counts).map { sum, count in
            zip(sum, count).map { $1 > 0 ? $0 / $1 : .nan }
        }
    }

    /// The features of the last hour (the one `asOf` falls in), built hour by hour.
    public func features(statics: SepsisStatics) -> [Double] {
        var builder = SepsisFeatureBuilder()
        for row in rows.dropLast() { builder.append(row) }
        return builder.features(for: rows[rows.count - 1], statics: statics, iculos: Double(rows.count))
    }
}
