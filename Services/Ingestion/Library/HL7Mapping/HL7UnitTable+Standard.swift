extension HL7UnitTable {
    /// The built-in table: spellings seen from monitors, LIS and interface engines for the units of vital
    /// signs and common labs. Case-insensitive unless noted; spaces are ignored.
    public static let standard: HL7UnitTable = {
        var table = HL7UnitTable()
        func add(_ ucum: String, _ spellings: [String]) {
            for spelling in spellings + [ucum] { table.set(spelling, to: Conversion(ucum: ucum)) }
        }
        // Temperature: Fahrenheit is converted, Celsius respelled.
        add("Cel", ["degC", "°C", "C", "deg C", "Celsius", "centigrade", "[degC]", "DEGC", "CEL"])
        table.set("[degF]", to: Conversion(ucum: "Cel", scale: 5.0 / 9.0, offset: -160.0 / 9.0))
        for spelling in ["degF", "°F", "F", "deg F", "Fahrenheit"] {
            table.set(spelling, to: Conversion(ucum: "Cel", scale: 5.0 / 9.0, offset: -160.0 / 9.0))
        }
        // Rates.
        add(
            "/min",
            [
                "1/min", "bpm", "beats/min", "beat/min", "b/min", "{beats}/min", "{beat}/min", "breaths/min",
                "breath/min", "br/min", "{breaths}/min", "{breath}/min", "/mn", "per min", "rpm", "min-1",
            ])
        add("L/min", ["l/min", "lpm", "liters/min", "litres/min", "l/mn", "L/mn"])
        // Fractions and pressures.
        add("%", ["percent", "pct", "%sat", "{%}"])
        add("mm[Hg]", ["mmHg", "mm Hg", "mm(hg)"])
        add("kPa", ["kilopascal"])
        // Mass concentrations.
        add("mg/dL", ["mg/dl", "mg%"])
        add("g/dL", ["g/dl", "gm/dl"])
        add("g/L", ["g/l", "gm/l"])
        add("mg/L", ["mg/l"])
        add("ug/L", ["µg/L", "μg/L", "mcg/L"])
        add("ug/dL", ["µg/dL", "μg/dL", "mcg/dL"])
        add("ng/mL", ["ng/ml"])
        add("ng/L", ["ng/l"])
        add("pg/mL", ["pg/ml"])
        // Substance concentrations.
        add("mmol/L", ["mmol/l", "mmol/litre", "mmol/liter"])
        add("umol/L", ["µmol/L", "μmol/L", "micromol/L", "umol/l"])
        add("nmol/L", ["nmol/l"])
        add("meq/L", ["mEq/L", "meq/l"])
        // Counts (magnitude kept: 10^9/L is 10^3/uL, 10^12/L is 10^6/uL).
        add(
            "10*3/uL",
            [
                "10^3/uL", "x10E3/uL", "x10^3/uL", "10E3/uL", "K/uL", "thou/uL", "thou/mm3", "K/mm3", "10*3/mm3",
                "10^3/mm3", "10*9/L", "10^9/L", "x10E9/L", "x10^9/L", "10E9/L", "giga.l-1", "giga/L", "Gpt/L",
            ])
        add(
            "10*6/uL",
            [
                "10^6/uL", "x10E6/uL", "x10^6/uL", "10E6/uL", "M/uL", "mil/uL", "10*6/mm3", "10^6/mm3", "10*12/L",
                "10^12/L", "x10E12/L", "x10^12/L", "10E12/L", "tera.l-1", "tera/L", "Tpt/L",
            ])
        add("/uL", ["cells/uL", "{cells}/uL", "/mm3", "cells/mm3", "{cells}/mm3"])
        add("fL", ["fl", "femtoliter", "femtolitre"])
        add("pg", ["picogram"])
        // Enzymes.
        add("U/L", ["u/l", "units/L"])
        add("[IU]/L", ["IU/L", "iu/l"])
        // Body measures.
        add("kg", ["kilogram", "kgs"])
        add("g", ["gram", "gm"])
        add("cm", ["centimeter", "centimetre"])
        add("m", ["meter", "metre"])
        add("kg/m2", ["kg/m^2", "kg/m²"])
        for spelling in ["lb", "lbs", "[lb_av]", "pound", "pounds"] {
            table.set(spelling, to: Conversion(ucum: "kg", scale: 0.45359237))
        }
        for spelling in ["in", "[in_i]", "inch", "inches"] {
            table.set(spelling, to: Conversion(ucum: "cm", scale: 2.54))
        }
        // Times, scores, unity.
        add("s", ["sec", "seconds"])
        add("{score}", ["score", "points", "{points}"])
        add("1", ["{ratio}", "ratio"])
        // `G/L` is giga per litre in European LIS output but reads as grams per litre: never guessed.
        table.markAmbiguous("G/L")
        return table
    }()
}
