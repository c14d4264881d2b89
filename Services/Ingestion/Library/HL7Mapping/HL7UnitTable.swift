/// OBX-6 units → UCUM, through a table of the spellings senders use.
///
/// Most entries only respell (`mmHg` → `mm[Hg]`, `bpm` → `/min`, `K/uL` → `10*3/uL`); a few convert the value
/// to the unit Vigil's models read: degrees Fahrenheit → `Cel`, pounds → `kg`, inches → `cm`. Counts keep
/// their magnitude unit (`/uL` stays `/uL`), and creatinine in `mg/dL` stays in `mg/dL`: `UnitConversion`
/// has the analyte-specific factors for consumers that want SI units.
///
/// Lookup: the unit as sent (trimmed, exact case) first, then the case-folded spelling without spaces. A
/// unit the table does not know is kept verbatim (coverage note), unless the sender declares it UCUM
/// (OBX-6.3 `UCUM`), in which case it is trusted as a UCUM code.
public struct HL7UnitTable: Hashable, Sendable {
    /// `value * scale + offset` in `ucum`.
    public struct Conversion: Hashable, Sendable {
        public var ucum: String
        public var scale: Double
        public var offset: Double

        public init(ucum: String, scale: Double = 1, offset: Double = 0) {
            self.ucum = ucum
            self.scale = scale
            self.offset = offset
        }

        public var changesValue: Bool { scale != 1 || offset != 0 }

        /// The converted value, rounded to 3 decimals when the value changes (no spurious precision).
        public func apply(_ value: Double) -> Double {
            guard changesValue else { return value }
            return ((value * scale + offset) * 1000).rounded() / 1000
        }
    }

    /// How a unit was resolved.
    public enum Outcome: String, Hashable, Sendable {
        /// A known spelling, value unchanged.
        case recognised
        /// A known unit whose value was converted (e.g. degF → Cel).
        case converted
        /// Not in the table, but declared UCUM by the sender: used as sent.
        case declaredUCUM
        /// Not in the table and not declared UCUM: kept verbatim.
        case verbatim
        /// No unit sent: UCUM unity `1`.
        case absent
    }

    public struct Normalized: Hashable, Sendable {
        public var value: Double
        public var unit: String
        public var outcome: Outcome
    }

    private var exact: [String: Conversion] = [:]
    private var folded: [String: Conversion] = [:]
    /// Spellings whose meaning depends on case (`G/L`: giga per litre, or grams?): never folded.
    private var ambiguous: Set<String> = []

    public init() {}

    /// Adds a spelling. Case-insensitive spellings also match with spaces removed.
    public mutating func set(_ spelling: String, to conversion: Conversion, caseSensitive: Bool = false) {
        if caseSensitive {
            exact[spelling.hl7Trimmed] = conversion
        } else {
            folded[Self.fold(spelling)] = conversion
        }
    }

    /// Marks a spelling as ambiguous: kept verbatim unless declared UCUM.
    public mutating func markAmbiguous(_ spelling: String) { ambiguous.insert(spelling.hl7Trimmed) }

    public func conversion(for unit: String) -> Conversion? {
        let text = unit.hl7Trimmed
        if let conversion = exact[text] { return conversion }
        if ambiguous.contains(text) { return nil }
        return folded[Self.fold(text)]
    }

    /// The value in the UCUM unit the table names for `unit`.
    public func normalize(_ value: Double, unit: String?, declaredUCUM: Bool = false) -> Normalized {
        guard let unit = unit.hl7NonEmpty else { return Normalized(value: value, unit: "1", outcome: .absent) }
        if let conversion = conversion(for: unit) {
            return Normalized(
                value: conversion.apply(value), unit: conversion.ucum,
                outcome: conversion.changesValue ? .converted : .recognised)
        }
        return Normalized(value: value, unit: unit, outcome: declaredUCUM ? .declaredUCUM : .verbatim)
    }

    static func fold(_ text: String) -> String {
        String(text.lowercased().unicodeScalars.filter { $0 != " " && $0 != "\t" })
    }
}

/// Analyte-specific and temperature conversions, for consumers that need another unit than the one the
/// event carries.
public enum UnitConversion {
    /// µmol/L per mg/dL of creatinine (molar mass 113.12 g/mol).
    public static let creatinineMicromolesPerMilligram = 88.42

    public static func creatinineMicromolesPerLitre(fromMilligramsPerDecilitre value: Double) -> Double {
        value * creatinineMicromolesPerMilligram
    }

    public static func creatinineMilligramsPerDecilitre(fromMicromolesPerLitre value: Double) -> Double {
        value / creatinineMicromolesPerMilligram
    }

    public static func celsius(fromFahrenheit value: Double) -> Double { (value - 32) * 5 / 9 }

    public static func fahrenheit(fromCelsius value: Double) -> Double { value * 9 / 5 + 32 }
}
