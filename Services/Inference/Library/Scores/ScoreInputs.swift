/// Level of consciousness on the ACVPU scale (NEWS2 adds C, new confusion, to AVPU).
public enum Consciousness: String, Sendable, Hashable, CaseIterable {
    case alert = "A", newConfusion = "C", voice = "V", pain = "P", unresponsive = "U"
}

/// The latest fresh value of each input a bedside score reads; nil when missing or stale. Units as ingest
/// normalises them: /min, %, mm[Hg], Cel, 10*3/uL.
public struct VitalSigns: Sendable, Hashable {
    public var respiratoryRate: Double?
    public var spo2: Double?
    /// Supplemental oxygen (true) or room air (false).
    public var onOxygen: Bool?
    public var systolic: Double?
    public var heartRate: Double?
    public var consciousness: Consciousness?
    public var gcs: Double?
    public var temperature: Double?
    public var wbc: Double?
    public var bandNeutrophils: Double?
    public var paco2: Double?
    /// NEWS2 SpO2 scale 2: only for a documented hypercapnic target of 88–92 %; never inferred.
    public var spo2Scale2: Bool

    public init(
        respiratoryRate: Double? = nil, spo2: Double? = nil, onOxygen: Bool? = nil, systolic: Double? = nil,
        heartRate: Double? = nil, consciousness: Consciousness? = nil, gcs: Double? = nil, temperature: Double? = nil,
        wbc: Double? = nil, bandNeutrophils: Double? = nil, paco2: Double? = nil, spo2Scale2: Bool = false
    ) {
        self.respiratoryRate = respiratoryRate
        self.spo2 = spo2
        self.onOxygen = onOxygen
        self.systolic = systolic
        self.heartRate = heartRate
        self.consciousness = consciousness
        self.gcs = gcs
        self.temperature = temperature
        self.wbc = wbc
        self.bandNeutrophils = bandNeutrophils
        self.paco2 = paco2
        self.spo2Scale2 = spo2Scale2
    }
}

/// A score over the inputs present: `value` is a lower bound when inputs are missing (every score here is a
/// sum of non-negative points), `upperBound` adds each missing input's maximum.
public struct ScoreResult: Sendable, Hashable {
    public var name: String
    public var value: Int
    public var upperBound: Int
    /// Points per parameter, e.g. `news2.rr: 3`.
    public var parts: [String: Int]
    /// The measured value behind each part (same names), for people reading the score.
    public var observed: [String: Double] = [:]
    public var missing: [String]
    public var band: String

    public var complete: Bool { missing.isEmpty }
}

/// Half-up rounding to the resolution the published charts print (integers; tenths for temperature), held
/// as integers so band edges compare exactly.
enum ChartValue {
    static func whole(_ value: Double) -> Int { Int((value + 0.5).rounded(.down)) }
    static func tenths(_ value: Double) -> Int { Int((value * 10 + 0.5).rounded(.down)) }
}

/// Collects a score's points per parameter: a missing input adds its maximum to the upper bound.
struct ScoreSheet {
    var parts: [String: Int] = [:]
    var observed: [String: Double] = [:]
    var missing: [String] = []
    var extraUpper = 0

    mutating func add(_ name: String, _ points: Int?, max: Int, observed value: Double? = nil) {
        if let points {
            parts[name] = points
            observed[name] = value
        } else {
            missing.append(name)
            extraUpper += max
        }
    }

    var total: Int { parts.values.reduce(0, +) }

    func result(_ name: String, band: String) -> ScoreResult {
        var result = ScoreResult(name: name, value: total, upperBound: total + extraUpper, parts: parts, missing: missing, band: band)
        result.observed = observed
        return result
    }
}
