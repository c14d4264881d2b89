import Foundation

/// Online, a stay's hours come from events: hour h holds the observations with anchor + h·1 h ≤ time <
/// anchor + (h+1)·1 h, averaged per column (several values in one hour → their mean), converted to the
/// challenge's units. The anchor is the patient's first observation, so hour h is the challenge's ICULOS h+1.
public struct SepsisHours: Sendable {
    public var anchor: Date
    /// The hour of `rows[0]`.
    public var firstHour: Int
    /// Raw values per hour (NaN = not measured), hours firstHour…last.
    public var rows: [[Double]]

    /// The hour (0-based) `time` falls in.
    public static func hour(of time: Date, anchor: Date) -> Int {
        max(0, Int((time.timeIntervalSince(anchor) / 3600).rounded(.down)))
    }

    /// Hours `from`…(`asOf`'s hour), from the observations at or before `asOf`.
    public init(_ observations: [Observation], anchor: Date, asOf: Date, from firstHour: Int = 0) {
        self.anchor = anchor
        self.firstHour = firstHour
        let last = max(firstHour, Self.hour(of: asOf, anchor: anchor))
        let start = anchor.addingTimeInterval(Double(firstHour) * 3600)
        var sums = Array(repeating: Array(repeating: 0.0, count: SepsisColumns.measured.count), count: last - firstHour + 1)
        var counts = sums
        for observation in observations where observation.time >= start && observation.time <= asOf {
            guard let column = SepsisColumns.indexByLOINC[observation.code], let value = observation.value,
                let converted = SepsisColumns.measured[column].convert(value, from: observation.unit)
            else { continue }
            let hour = Self.hour(of: observation.time, anchor: anchor) - firstHour
            sums[hour][column] += converted
            counts[hour][column] += 1
        }
        rows = zip(sums, counts).map { sum, count in
            zip(sum, count).map { $1 > 0 ? $0 / $1 : .nan }
        }
    }

    /// The features of the last hour (the one `asOf` falls in), built hour by hour from hour 0.
    public func features(statics: SepsisStatics) -> [Double] {
        precondition(firstHour == 0, "features from hour 0 need the rows from hour 0")
        var builder = SepsisFeatureBuilder()
        return features(continuing: &builder, statics: statics)
    }

    /// The last hour's features, from a builder that has closed the hours before `firstHour`; the builder
    /// is left with every hour before the last closed.
    public func features(continuing builder: inout SepsisFeatureBuilder, statics: SepsisStatics) -> [Double] {
        precondition(builder.hours == firstHour, "the builder must stop where these rows start")
        for row in rows.dropLast() { builder.append(row) }
        return builder.features(for: rows[rows.count - 1], statics: statics, iculos: Double(firstHour + rows.count))
    }
}
