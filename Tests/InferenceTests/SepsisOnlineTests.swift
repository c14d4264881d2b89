import Foundation
import Inference
import Testing
import VigilModelCore

/// Online, a stay arrives as coded observations, not as a file; the features must be the same.
@Suite struct SepsisOnlineTests {
    static let anchor = Date(timeIntervalSince1970: 1_700_000_000)

    /// Each measured value of the stay as an observation a few minutes into its hour, some in other units
    /// (FiO2 in %, creatinine in µmol/L under its own LOINC) and some split into two readings with that mean.
    static func observations(_ stay: SepsisStayFile) -> [Observation] {
        var result: [Observation] = []
        for (hour, row) in stay.hours.enumerated() {
            for (column, value) in row.values.enumerated() where !value.isNaN {
                let spec = SepsisColumns.measured[column]
                let time = anchor.addingTimeInterval(Double(hour) * 3600 + 300)
                var code = spec.loinc[0]
                var (number, unit) = (value, spec.unit)
                switch spec.name {
                case "FiO2": (number, unit) = (value * 100, "%")
                case "Creatinine": (code, number, unit) = ("14682-9", value * 88.4, "umol/L")
                case "HR":
                    // Two readings, 10 and 40 minutes in, whose mean is the hour's value.
                    result.append(Observation(eventID: "hr-a-\(hour)", code: code, time: time, value: value - 4, text: nil, unit: unit))
                    result.append(
                        Observation(
                            eventID: "hr-b-\(hour)", code: code, time: time.addingTimeInterval(1800), value: value + 4, text: nil,
                            unit: unit))
                    continue
                default: break
                }
                result.append(Observation(eventID: "e-\(hour)-\(column)", code: code, time: time, value: number, text: nil, unit: unit))
            }
        }
        return result
    }

    @Test func onlineHoursGiveTheOfflineFeatures() throws {
        let stay = try SepsisStayFile(
            contentsOf: SepsisModelTests.fixtures.appendingPathComponent("p100013.psv"))
        let offline = stay.features()
        let observations = Self.observations(stay)
        var compared = 0
        for hour in stride(from: 0, to: stay.hours.count, by: 7) {
            // Scored at the end of the hour, when both HR readings are in.
            let asOf = Self.anchor.addingTimeInterval(Double(hour) * 3600 + 3500)
            let online = SepsisHours(observations, anchor: Self.anchor, asOf: asOf).features(statics: stay.hours[hour].statics)
            #expect(online.count == offline[hour].count)
            for (index, (a, b)) in zip(online, offline[hour]).enumerated() {
                let same = (a.isNaN && b.isNaN) || abs(a - b) <= 1e-9 * max(1, abs(b))
                #expect(same, "hour \(hour) \(SepsisFeatureBuilder.names[index]): online \(a), offline \(b)")
            }
            compared += 1
        }
        #expect(compared == 13)
    }

    @Test func laterObservationsAreNotSeen() throws {
        let stay = try SepsisStayFile(
            contentsOf: SepsisModelTests.fixtures.appendingPathComponent("p100013.psv"))
        let observations = Self.observations(stay)
        // Ten minutes into hour 20: the hour's HR is the first reading only, and nothing later counts.
        let asOf = Self.anchor.addingTimeInterval(20 * 3600 + 600)
        let hours = SepsisHours(observations, anchor: Self.anchor, asOf: asOf)
        #expect(hours.rows.count == 21)
        let expected = stay.hours[20].values[0] - 4
        #expect(stay.hours[20].values[0].isNaN || hours.rows[20][0] == expected)
        let features = hours.features(statics: stay.hours[20].statics)
        #expect(features[SepsisFeatureBuilder.names.firstIndex(of: "ICULOS")!] == 21)
    }

    @Test func unconvertibleUnitsAreLeftOut() {
        let observations = [
            Observation(eventID: "a", code: "3150-0", time: Self.anchor, value: 5, text: nil, unit: "L/min"),
            Observation(eventID: "b", code: "3150-0", time: Self.anchor, value: 0.5, text: nil, unit: "1"),
        ]
        let hours = SepsisHours(observations, anchor: Self.anchor, asOf: Self.anchor.addingTimeInterval(60))
        #expect(hours.rows[0][SepsisColumns.position["FiO2"]!] == 0.5)
    }

    /// The kept builder gives exactly the rebuilt features, also after a late value, a correction and a
    /// retraction in hours it has already closed.
    @Test func cachedBuilderEqualsRebuildingTheStay() throws {
        let stay = try SepsisStayFile(
            contentsOf: SepsisModelTests.fixtures.appendingPathComponent("p100013.psv"))
        var observations = Self.observations(stay)
        let patient = try Pseudonym.derive(
            assigningAuthority: "H", patientID: "1", key: Array(repeating: 7, count: 32), keyID: "k")
        let cache = SepsisStayCache()
        let statics = stay.hours[0].statics
        func check(_ hour: Int, _ label: String) {
            let asOf = Self.anchor.addingTimeInterval(Double(hour) * 3600 + 3500)
            let visible = observations.filter { $0.time <= asOf }
            let cached = cache.features(for: patient, observations: visible, anchor: Self.anchor, asOf: asOf, statics: statics)
            let rebuilt = SepsisHours(visible, anchor: Self.anchor, asOf: asOf).features(statics: statics)
            let same = zip(cached, rebuilt).allSatisfy { ($0.isNaN && $1.isNaN) || $0 == $1 }
            #expect(same, "\(label) at hour \(hour)")
        }
        for hour in 0..<40 { check(hour, "streamed") }
        observations.append(Observation(eventID: "late", code: "8867-4", time: Self.anchor.addingTimeInterval(5 * 3600 + 100), value: 150, text: nil, unit: "/min"))
        check(40, "late value in hour 5")
        let corrected = try #require(observations.firstIndex { $0.eventID.hasPrefix("e-10-") })
        observations[corrected].value = (observations[corrected].value ?? 0) + 1
        check(41, "corrected value in hour 10")
        observations.removeAll { $0.eventID.hasPrefix("e-12-") }
        check(42, "retracted hour 12")
        check(41, "an earlier hour than the builder has closed")
    }
}
