/// qSOFA (Seymour et al., JAMA 2016; Sepsis-3): RR ≥ 22, SBP ≤ 100, altered mentation (GCS < 15 or not alert).
public enum QSOFA {
    public static func score(_ v: VitalSigns) -> ScoreResult {
        var parts: [String: Int] = [:]
        var missing: [String] = []
        if let rr = v.respiratoryRate { parts["qsofa.rr"] = ChartValue.whole(rr) >= 22 ? 1 : 0 } else { missing.append("qsofa.rr") }
        if let sbp = v.systolic { parts["qsofa.sbp"] = ChartValue.whole(sbp) <= 100 ? 1 : 0 } else { missing.append("qsofa.sbp") }
        if v.gcs != nil || v.consciousness != nil {
            let altered = (v.gcs.map { ChartValue.whole($0) < 15 } ?? false) || (v.consciousness.map { $0 != .alert } ?? false)
            parts["qsofa.mentation"] = altered ? 1 : 0
        } else {
            missing.append("qsofa.mentation")
        }
        let total = parts.values.reduce(0, +)
        return ScoreResult(
            name: "qsofa", value: total, upperBound: total + missing.count, parts: parts, missing: missing,
            band: total >= 2 ? "positive" : "negative")
    }
}

/// SIRS (Bone et al., Chest 1992): temperature > 38 or < 36 °C; HR > 90; RR > 20 or PaCO2 < 32 mmHg;
/// WBC > 12 or < 4 ×10³/µL or bands > 10 %. A criterion with a true arm counts; it is missing only when
/// all its arms are.
public enum SIRS {
    public static func score(_ v: VitalSigns) -> ScoreResult {
        var parts: [String: Int] = [:]
        var missing: [String] = []
        var upper = 0
        func criterion(_ name: String, _ arms: [Bool?]) {
            if arms.contains(true) {
                parts[name] = 1
            } else if arms.allSatisfy({ $0 == nil }) {
                missing.append(name)
                upper += 1
            } else {
                parts[name] = 0
                if arms.contains(where: { $0 == nil }) { upper += 1 }
            }
        }
        criterion("sirs.temp", [v.temperature.map { ChartValue.tenths($0) > 380 || ChartValue.tenths($0) < 360 }])
        criterion("sirs.hr", [v.heartRate.map { ChartValue.whole($0) > 90 }])
        criterion("sirs.resp", [v.respiratoryRate.map { ChartValue.whole($0) > 20 }, v.paco2.map { $0 < 32 }])
        criterion("sirs.wbc", [v.wbc.map { $0 > 12 || $0 < 4 }, v.bandNeutrophils.map { $0 > 10 }])
        let total = parts.values.reduce(0, +)
        return ScoreResult(
            name: "sirs", value: total, upperBound: total + upper, parts: parts, missing: missing,
            band: total >= 2 ? "positive" : "negative")
    }
}

/// MEWS (Subbe et al., QJM 2001, table 1). The table prints SBP "≤70" and HR "<40"/"41–50": 40 falls in no
/// band and is scored on the abnormal side (2). New confusion has no MEWS row and scores as voice.
public enum MEWS {
    public static func score(_ v: VitalSigns) -> ScoreResult {
        var sheet = ScoreSheet()
        sheet.add("mews.sbp", v.systolic.map { systolic(ChartValue.whole($0)) }, max: 3)
        sheet.add("mews.hr", v.heartRate.map { heart(ChartValue.whole($0)) }, max: 3)
        sheet.add("mews.rr", v.respiratoryRate.map { respiration(ChartValue.whole($0)) }, max: 3)
        sheet.add("mews.temp", v.temperature.map { ChartValue.tenths($0) < 350 || ChartValue.tenths($0) >= 385 ? 2 : 0 }, max: 2)
        sheet.add("mews.avpu", v.consciousness.map(avpu), max: 3)
        return sheet.result("mews", band: sheet.total >= 5 ? "trigger" : "no-trigger")
    }

    static func systolic(_ sbp: Int) -> Int {
        switch sbp {
        case ...70: 3
        case 71...80: 2
        case 81...100: 1
        case 101...199: 0
        default: 2
        }
    }

    static func heart(_ hr: Int) -> Int {
        switch hr {
        case ...40: 2
        case 41...50: 1
        case 51...100: 0
        case 101...110: 1
        case 111...129: 2
        default: 3
        }
    }

    static func respiration(_ rr: Int) -> Int {
        switch rr {
        case ...8: 2
        case 9...14: 0
        case 15...20: 1
        case 21...29: 2
        default: 3
        }
    }

    static func avpu(_ level: Consciousness) -> Int {
        switch level {
        case .alert: 0
        case .voice, .newConfusion: 1
        case .pain: 2
        case .unresponsive: 3
        }
    }
}
