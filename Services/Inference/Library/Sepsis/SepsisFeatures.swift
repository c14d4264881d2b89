/// What the sepsis features know about a stay besides its hourly measurements (NaN when unknown).
public struct SepsisStatics: Sendable, Hashable {
    public var age: Double
    /// 1 male, 0 female (the challenge's coding).
    public var gender: Double
    /// Hours from hospital admission to the ICU anchor (negative: admitted before).
    public var hospitalAdmissionHours: Double

    public init(age: Double = .nan, gender: Double = .nan, hospitalAdmissionHours: Double = .nan) {
        self.age = age
        self.gender = gender
        self.hospitalAdmissionHours = hospitalAdmissionHours
    }
}

/// Causal hourly features of a stay (schema `sepsis-features/1`): hour h uses hours ≤ h only. The same
/// code runs offline (`vigil eval sepsis`, the training export) and online (the service), hour by hour:
/// `features(for:)` describes the hour being filled without keeping it, `append` closes it.
public struct SepsisFeatureBuilder: Sendable {
    public static let schema = "sepsis-features/1"
    static let measured = SepsisColumns.measured.count
    static let vitals = SepsisColumns.vitalCount

    public private(set) var hours = 0
    private var carried: [Double]
    private var lastSeen: [Int]
    private var counts: [Double]
    /// Carried-forward rows of the last 6 closed hours (oldest first), for the deltas.
    private var carriedHistory: [[Double]] = []
    /// Raw vital rows of the last 11 closed hours (oldest first), for the 12-hour windows.
    private var vitalHistory: [[Double]] = []
    private var labHours = 0.0

    public init() {
        carried = Array(repeating: .nan, count: Self.measured)
        lastSeen = Array(repeating: -1, count: Self.measured)
        counts = Array(repeating: 0, count: Self.measured)
    }

    /// The features of the next hour, whose raw values (challenge units, NaN = not measured) are `row`.
    public func features(for row: [Double], statics: SepsisStatics, iculos: Double) -> [Double] {
        precondition(row.count == Self.measured, "a sepsis row has \(Self.measured) measured columns")
        var out: [Double] = []
        out.reserveCapacity(Self.names.count)
        let filled = (0..<Self.measured).map { row[$0].isNaN ? carried[$0] : row[$0] }
        out += filled
        out += (0..<Self.measured).map { !row[$0].isNaN ? 0 : lastSeen[$0] >= 0 ? Double(hours - lastSeen[$0]) : 999 }
        out += (0..<Self.measured).map { counts[$0] + (row[$0].isNaN ? 0 : 1) }
        for lag in [1, 3, 6] { out += delta(filled, lag: lag, columns: 0..<Self.vitals) }
        out += delta(filled, lag: 6, columns: Self.vitals..<Self.measured)
        let window12 = vitalHistory + [Array(row[0..<Self.vitals])]
        for width in [6, 12] {
            let window = window12.suffix(width)
            let stats = (0..<Self.vitals).map { column in Summary(window.map { $0[column] }) }
            out += stats.map(\.min)
            out += stats.map(\.max)
            out += stats.map(\.mean)
        }
        out += (0..<Self.vitals).map { column in Summary(window12.map { $0[column] }).deviation }
        // Unit1/Unit2 have no event source online, so they are unknown offline too.
        out += [min(statics.age, 90), statics.gender, .nan, .nan, statics.hospitalAdmissionHours, iculos]
        out += derived(filled, labHours: labHours + (hasLab(row) ? 1 : 0), iculos: iculos)
        return out
    }

    /// Closes the hour: its raw values join the history.
    public mutating func append(_ row: [Double]) {
        for column in 0..<Self.measured where !row[column].isNaN {
            carried[column] = row[column]
            lastSeen[column] = hours
            counts[column] += 1
        }
        carriedHistory.append(carried)
        if carriedHistory.count > 6 { carriedHistory.removeFirst() }
        vitalHistory.append(Array(row[0..<Self.vitals]))
        if vitalHistory.count > 11 { vitalHistory.removeFirst() }
        if hasLab(row) { labHours += 1 }
        hours += 1
    }

    private func delta(_ filled: [Double], lag: Int, columns: Range<Int>) -> [Double] {
        guard lag <= carriedHistory.count else { return columns.map { _ in .nan } }
        let past = carriedHistory[carriedHistory.count - lag]
        return columns.map { filled[$0] - past[$0] }
    }

    private func hasLab(_ row: [Double]) -> Bool { row[Self.vitals...].contains { !$0.isNaN } }

    private func derived(_ filled: [Double], labHours: Double, iculos: Double) -> [Double] {
        func value(_ name: String) -> Double { filled[SepsisColumns.position[name]!] }
        func flag(_ condition: Bool) -> Double { condition ? 1 : 0 }
        let (hr, sbp, resp, temp, wbc) = (value("HR"), value("SBP"), value("Resp"), value("Temp"), value("WBC"))
        // NaN compares false, so a missing input adds nothing to the counts.
        let qsofa = flag(resp >= 22) + flag(sbp <= 100)
        let sirs =
            flag(temp > 38) + flag(temp < 36) + flag(hr > 90) + flag(resp > 20) + flag(value("PaCO2") < 32)
            + flag(wbc > 12) + flag(wbc < 4)
        return [hr / sbp, value("BUN") / value("Creatinine"), qsofa, sirs, labHours / iculos]
    }

    /// Feature names in output order (the model file lists the same names).
    public static let names: [String] = {
        let all = SepsisColumns.names
        let vitalNames = Array(all[0..<vitals])
        let labNames = Array(all[vitals...])
        var names = all + all.map { $0 + "_since" } + all.map { $0 + "_count" }
        for lag in [1, 3, 6] { names += vitalNames.map { "\($0)_d\(lag)" } }
        names += labNames.map { $0 + "_d6" }
        for width in [6, 12] {
            for stat in ["min", "max", "mean"] { names += vitalNames.map { "\($0)_\(stat)\(width)" } }
        }
        names += vitalNames.map { $0 + "_sd12" }
        names += SepsisColumns.demographic + ["ICULOS", "ShockIndex", "BUN_Cr", "qSOFA_partial", "SIRS_count", "LabRate"]
        return names
    }()
}

/// Min, max, mean and population SD of the present values; NaN when none is present.
struct Summary {
    var min = Double.nan
    var max = Double.nan
    var mean = Double.nan
    var deviation = Double.nan

    init(_ values: [Double]) {
        let present = values.filter { !$0.isNaN }
        guard let first = present.first else { return }
        var (low, high, sum) = (first, first, 0.0)
        for value in present {
            low = Swift.min(low, value)
            high = Swift.max(high, value)
            sum += value
        }
        let average = sum / Double(present.count)
        let variance = present.reduce(0) { $0 + ($1 - average) * ($1 - average) } / Double(present.count)
        (min, max, mean, deviation) = (low, high, average, variance.squareRoot())
    }
}
