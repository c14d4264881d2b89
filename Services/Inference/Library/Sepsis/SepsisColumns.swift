/// The PhysioNet/CinC 2019 challenge's measured columns and the LOINC codes that carry them as events: one
/// table for the feature code, `vigil eval sepsis` and the replay tool, so online and offline read the same
/// variables in the same units.
public struct SepsisColumn: Sendable, Hashable {
    /// The challenge's column name (`HR`, `FiO2`, …).
    public var name: String
    /// LOINC codes whose events fill this column; the first is the one the replay tool writes.
    public var loinc: [String]
    /// The UCUM unit of the challenge's values.
    public var unit: String
    /// Factors from other UCUM units to `unit` (value × factor).
    public var conversions: [String: Double]
    public var isVital: Bool

    /// The value in the challenge's unit, or nil when the unit cannot be converted.
    public func convert(_ value: Double, from unit: String?) -> Double? {
        guard let unit, !unit.isEmpty, unit != self.unit else { return value }
        return conversions[unit].map { value * $0 }
    }
}

public enum SepsisColumns {
    static func column(
        _ name: String, _ loinc: [String], _ unit: String, _ conversions: [String: Double] = [:], vital: Bool = false
    ) -> SepsisColumn {
        SepsisColumn(name: name, loinc: loinc, unit: unit, conversions: conversions, isVital: vital)
    }

    static let kPa = ["kPa": 7.50062]

    /// In the challenge's column order: 8 vitals, then 26 labs.
    public static let measured: [SepsisColumn] = [
        column("HR", ["8867-4"], "/min", vital: true),
        column("O2Sat", ["59408-5"], "%", ["1": 100], vital: true),
        column("Temp", ["8310-5"], "Cel", vital: true),
        column("SBP", ["8480-6"], "mm[Hg]", kPa, vital: true),
        column("MAP", ["8478-0"], "mm[Hg]", kPa, vital: true),
        column("DBP", ["8462-4"], "mm[Hg]", kPa, vital: true),
        column("Resp", ["9279-1"], "/min", vital: true),
        column("EtCO2", ["19889-5"], "mm[Hg]", kPa, vital: true),
        column("BaseExcess", ["1925-7"], "mmol/L", ["meq/L": 1]),
        column("HCO3", ["1963-8"], "mmol/L", ["meq/L": 1]),
        // The challenge keeps FiO2 as a fraction; events usually carry %.
        column("FiO2", ["3150-0", "19994-3"], "1", ["%": 0.01]),
        column("pH", ["2744-1"], "[pH]"),
        column("PaCO2", ["2019-8"], "mm[Hg]", kPa),
        column("SaO2", ["2708-6"], "%", ["1": 100]),
        column("AST", ["1920-8"], "U/L", ["[IU]/L": 1]),
        column("BUN", ["3094-0"], "mg/dL", ["mmol/L": 2.801]),
        column("Alkalinephos", ["6768-6"], "U/L", ["[IU]/L": 1]),
        column("Calcium", ["17861-6"], "mg/dL", ["mmol/L": 4.008]),
        column("Chloride", ["2075-0"], "mmol/L", ["meq/L": 1]),
        column("Creatinine", ["2160-0", "14682-9"], "mg/dL", ["umol/L": 1 / 88.4]),
        column("Bilirubin_direct", ["1968-7"], "mg/dL", ["umol/L": 1 / 17.1]),
        column("Glucose", ["2345-7"], "mg/dL", ["mmol/L": 18.016]),
        column("Lactate", ["2524-7", "32693-4"], "mmol/L"),
        column("Magnesium", ["19123-9"], "mg/dL", ["mmol/L": 2.431]),
        column("Phosphate", ["2777-1"], "mg/dL", ["mmol/L": 3.097]),
        column("Potassium", ["2823-3"], "mmol/L", ["meq/L": 1]),
        column("Bilirubin_total", ["1975-2"], "mg/dL", ["umol/L": 1 / 17.1]),
        column("TroponinI", ["10839-9"], "ng/mL", ["ng/L": 0.001, "ug/L": 1]),
        column("Hct", ["4544-3"], "%"),
        column("Hgb", ["718-7"], "g/dL", ["g/L": 0.1]),
        column("PTT", ["3173-2"], "s"),
        column("WBC", ["6690-2"], "10*3/uL"),
        column("Fibrinogen", ["3255-7"], "mg/dL", ["g/L": 100]),
        column("Platelets", ["777-3"], "10*3/uL"),
    ]

    public static let vitalCount = 8
    public static let names = measured.map(\.name)
    /// Column index by name.
    public static let position = Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })

    /// Column index by LOINC code (every code of every column).
    public static let indexByLOINC: [String: Int] = {
        var index: [String: Int] = [:]
        for (position, column) in measured.enumerated() {
            for code in column.loinc { index[code] = position }
        }
        return index
    }()

    /// The challenge's demographic columns, in its order; Unit1/Unit2 have no event source.
    public static let demographic = ["Age", "Gender", "Unit1", "Unit2", "HospAdmTime"]
}
