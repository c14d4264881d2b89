import Foundation
import Synchronization
import VigilModelCore

/// Per patient, the feature builder with the closed hours already in it, so an event costs one hour's features
/// instead of the whole stay again. An entry is used only when it provably describes the loaded observations:
/// same anchor, no later hour closed than the one scored, and the same observations in the closed hours
/// (their count, values and times), which catches late values, corrections, retractions and another
/// instance's work after a rebalance. Otherwise the stay is rebuilt from the observations, as it would be without the cache.
public final class SepsisStayCache: Sendable {
    struct Entry {
        var anchor: Date
        var builder: SepsisFeatureBuilder
        var closed: Fingerprint
    }

    struct Fingerprint: Equatable {
        var count = 0
        var values = 0.0
        var times = 0.0
    }

    private let entries = Mutex<[Pseudonym: Entry]>([:])
    let capacity: Int

    public init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// The features of `asOf`'s hour.
    public func features(
        for patient: Pseudonym, observations: [Observation], anchor: Date, asOf: Date, statics: SepsisStatics
    ) -> [Double] {
        let hour = SepsisHours.hour(of: asOf, anchor: anchor)
        func closed(before hours: Int) -> Fingerprint {
            let end = anchor.addingTimeInterval(Double(hours) * 3600)
            var print = Fingerprint()
            for observation in observations where observation.time < end && SepsisColumns.indexByLOINC[observation.code] != nil {
                print.count += 1
                print.values += observation.value ?? 0
                print.times += observation.time.timeIntervalSince(anchor)
            }
            return print
        }
        var builder = SepsisFeatureBuilder()
        if let entry = entries.withLock({ $0[patient] }), entry.anchor == anchor, entry.builder.hours <= hour,
            entry.closed == closed(before: entry.builder.hours)
        {
            builder = entry.builder
        }
        let rows = SepsisHours(observations, anchor: anchor, asOf: asOf, from: builder.hours)
        let features = rows.features(continuing: &builder, statics: statics)
        let entry = Entry(anchor: anchor, builder: builder, closed: closed(before: builder.hours))
        entries.withLock { entries in
            // Crude but bounded: forget everyone when full; entries rebuild from PostgreSQL on demand.
            if entries.count >= capacity, entries[patient] == nil { entries.removeAll(keepingCapacity: true) }
            entries[patient] = entry
        }
        return features
    }
}
