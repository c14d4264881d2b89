/// NEWS2, Royal College of Physicians (2017), chart 1 and chart 2.
public enum NEWS2 {
    public static func score(_ v: VitalSigns) -> ScoreResult {
        var sheet = ScoreSheet()
        sheet.add("news2.rr", v.respiratoryRate.map { respiration(ChartValue.whole($0)) }, max: 3, observed: v.respiratoryRate)
        if let spo2 = v.spo2 {
            let value = ChartValue.whole(spo2)
            if v.spo2Scale2 {
                // Without the air/O2 input, ≥ 93 is scored as on air (lower bound) and may be up to 3 more.
                sheet.add("news2.spo2", scale2(value, onOxygen: v.onOxygen ?? false), max: 3, observed: spo2)
                if v.onOxygen == nil, value >= 93 { sheet.extraUpper += 3 }
            } else {
                sheet.add("news2.spo2", scale1(value), max: 3, observed: spo2)
            }
        } else {
            sheet.add("news2.spo2", nil, max: 3)
        }
        sheet.add("news2.o2", v.onOxygen.map { $0 ? 2 : 0 }, max: 2, observed: v.onOxygen.map { $0 ? 1 : 0 })
        sheet.add("news2.sbp", v.systolic.map { systolic(ChartValue.whole($0)) }, max: 3, observed: v.systolic)
        sheet.add("news2.hr", v.heartRate.map { pulse(ChartValue.whole($0)) }, max: 3, observed: v.heartRate)
        sheet.add("news2.acvpu", v.consciousness.map { $0 == .alert ? 0 : 3 }, max: 3)
        sheet.add("news2.temp", v.temperature.map { temperature(ChartValue.tenths($0)) }, max: 3, observed: v.temperature)
        return sheet.result("news2", band: band(total: sheet.total, anyThree: sheet.parts.values.contains(3)))
    }

    static func respiration(_ rr: Int) -> Int {
        switch rr {
        case ...8: 3
        case 9...11: 1
        case 12...20: 0
        case 21...24: 2
        default: 3
        }
    }

    static func scale1(_ spo2: Int) -> Int {
        switch spo2 {
        case ...91: 3
        case 92...93: 2
        case 94...95: 1
        default: 0
        }
    }

    /// Scale 2 (hypercapnic target 88–92 %): values from 93 score only on oxygen.
    static func scale2(_ spo2: Int, onOxygen: Bool) -> Int {
        switch spo2 {
        case ...83: return 3
        case 84...85: return 2
        case 86...87: return 1
        case 88...92: return 0
        case 93...94: return onOxygen ? 1 : 0
        case 95...96: return onOxygen ? 2 : 0
        default: return onOxygen ? 3 : 0
        }
    }

    static func systolic(_ sbp: Int) -> Int {
        switch sbp {
        case ...90: 3
        case 91...100: 2
        case 101...110: 1
        case 111...219: 0
        default: 3
        }
    }

    static func pulse(_ hr: Int) -> Int {
        switch hr {
        case ...40: 3
        case 41...50: 1
        case 51...90: 0
        case 91...110: 1
        case 111...130: 2
        default: 3
        }
    }

    /// In tenths of a degree: ≤35.0 → 3, 35.1–36.0 → 1, 36.1–38.0 → 0, 38.1–39.0 → 1, ≥39.1 → 2.
    static func temperature(_ tenths: Int) -> Int {
        switch tenths {
        case ...350: 3
        case 351...360: 1
        case 361...380: 0
        case 381...390: 1
        default: 2
        }
    }

    /// Chart 2: 0–4 low, a single 3 low–medium, 5–6 medium, ≥7 high.
    static func band(total: Int, anyThree: Bool) -> String {
        switch total {
        case 7...: "high"
        case 5...6: "medium"
        default: anyThree ? "low-medium" : "low"
        }
    }
}
