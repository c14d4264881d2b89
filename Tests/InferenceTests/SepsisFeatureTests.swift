import Foundation
import Inference
import Testing

/// `sepsis-features/1` on a stay small enough to work out by hand.
@Suite struct SepsisFeatureTests {
    static let names = SepsisFeatureBuilder.names
    static func row(_ values: [String: Double]) -> [Double] {
        SepsisColumns.names.map { values[$0] ?? .nan }
    }

    /// Three hours: HR 80, –, 100; SBP 120, 100, –; Resp 22 in hour 2; a lactate in hour 1.
    static let hours: [[Double]] = [
        row(["HR": 80, "SBP": 120]),
        row(["SBP": 100, "Lactate": 2.5]),
        row(["HR": 100, "Resp": 22]),
    ]

    static func features() -> [[Double]] {
        var builder = SepsisFeatureBuilder()
        let statics = SepsisStatics(age: 97, gender: 1, hospitalAdmissionHours: -5)
        return hours.enumerated().map { hour, values in
            defer { builder.append(values) }
            return builder.features(for: values, statics: statics, iculos: Double(hour + 1))
        }
    }

    static func value(_ features: [Double], _ name: String) -> Double {
        features[names.firstIndex(of: name)!]
    }

    @Test func schemaHas219NamedFeatures() {
        #expect(Self.names.count == 219)
        #expect(Set(Self.names).count == 219)
        #expect(Self.names.prefix(3) == ["HR", "O2Sat", "Temp"])
        #expect(Self.names.suffix(6) == ["ICULOS", "ShockIndex", "BUN_Cr", "qSOFA_partial", "SIRS_count", "LabRate"])
    }

    @Test func carriedForwardSinceAndCount() {
        let f = Self.features()
        let v = Self.value
        #expect(v(f[1], "HR") == 80, "carried forward")
        #expect(v(f[2], "HR") == 100)
        #expect(v(f[0], "Resp").isNaN && v(f[2], "Resp") == 22, "NaN before the first value")
        #expect(v(f[0], "HR_since") == 0 && v(f[1], "HR_since") == 1 && v(f[2], "HR_since") == 0)
        #expect(v(f[1], "Resp_since") == 999, "999 before the first measurement")
        #expect(v(f[2], "SBP_since") == 1)
        #expect(v(f[2], "HR_count") == 2 && v(f[2], "SBP_count") == 2 && v(f[2], "Lactate_count") == 1)
    }

    @Test func deltasUseCarriedValuesAndNeedHistory() {
        let f = Self.features()
        let v = Self.value
        #expect(v(f[0], "HR_d1").isNaN, "no hour before the first")
        #expect(v(f[1], "HR_d1") == 0)
        #expect(v(f[2], "HR_d1") == 20)
        #expect(v(f[2], "SBP_d1") == 0, "100 carried vs 100")
        #expect(v(f[2], "HR_d3").isNaN, "only two earlier hours")
    }

    @Test func windowsOverRawValues() {
        let f = Self.features()
        let v = Self.value
        #expect(v(f[2], "HR_min6") == 80 && v(f[2], "HR_max6") == 100 && v(f[2], "HR_mean6") == 90)
        #expect(v(f[2], "HR_sd12") == 10, "population SD of 80 and 100")
        #expect(v(f[1], "HR_mean12") == 80, "hour 1 has no HR of its own")
        #expect(v(f[0], "Resp_max12").isNaN)
        #expect(v(f[2], "SBP_mean12") == 110)
    }

    @Test func staticsAndDerived() {
        let f = Self.features()
        let v = Self.value
        #expect(v(f[0], "Age") == 90, "top-coded like de-identification")
        #expect(v(f[0], "Gender") == 1 && v(f[0], "HospAdmTime") == -5)
        #expect(v(f[0], "Unit1").isNaN && v(f[0], "Unit2").isNaN, "no online source")
        #expect(v(f[2], "ICULOS") == 3)
        #expect(v(f[0], "ShockIndex") == 80.0 / 120.0)
        #expect(v(f[2], "qSOFA_partial") == 2, "Resp 22 and SBP 100")
        #expect(v(f[1], "qSOFA_partial") == 1)
        #expect(v(f[2], "SIRS_count") == 2, "HR > 90 and Resp > 20; missing inputs add nothing")
        #expect(v(f[0], "LabRate") == 0 && v(f[1], "LabRate") == 0.5 && v(f[2], "LabRate") == 1.0 / 3.0)
        #expect(v(f[2], "BUN_Cr").isNaN)
    }

    @Test func columnUnitsConvert() {
        let fio2 = SepsisColumns.measured[SepsisColumns.position["FiO2"]!]
        #expect(fio2.convert(40, from: "%") == 0.4)
        #expect(fio2.convert(0.4, from: "1") == 0.4)
        #expect(fio2.convert(40, from: "L/min") == nil, "a flow is not a fraction")
        let creatinine = SepsisColumns.measured[SepsisColumns.position["Creatinine"]!]
        #expect(abs(creatinine.convert(88.4, from: "umol/L")! - 1) < 1e-12)
        #expect(SepsisColumns.indexByLOINC["14682-9"] == SepsisColumns.position["Creatinine"])
        #expect(SepsisColumns.indexByLOINC.count == 37)
    }

    /// Folds as Python's `int(hashlib.sha256(name).hexdigest(), 16) % 5` gives them.
    @Test func foldsMatchTheTrainingSplit() {
        #expect(SepsisFolds.fold(of: "p100001") == 0)
        #expect(SepsisFolds.fold(of: "p100002") == 0)
        #expect(SepsisFolds.fold(of: "p100003") == 2)
        #expect(SepsisFolds.fold(of: "p109999") == 3)
    }
}
