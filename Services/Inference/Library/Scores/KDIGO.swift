import Foundation

/// KDIGO acute kidney injury stage from serum creatinine (KDIGO 2012 AKI guideline, §2.1): a rise of
/// ≥ 0.3 mg/dL within 48 h, or ≥ 1.5× the lowest value of the previous 7 days. Stage 2 at ≥ 2.0×, stage 3 at
/// ≥ 3.0× or ≥ 4.0 mg/dL with an acute rise. Urine output and renal replacement therapy are not inputs here
/// and are always reported missing.
public enum KDIGO {
    /// `series`: creatinine in mg/dL with its time; the stage at `time` (the latest value at or before it).
    public static func stage(_ series: [(time: Date, mgdl: Double)], at time: Date) -> ScoreResult {
        // Hundredths of a mg/dL, so a 0.3 rise compares exactly.
        let points = series.filter { $0.time <= time }.sorted { $0.time < $1.time }
            .map { (time: $0.time, value: Int(($0.mgdl * 100 + 0.5).rounded(.down))) }
        var missing = ["kdigo.urine_output", "kdigo.rrt"]
        guard let current = points.last else {
            return ScoreResult(name: "kdigo", value: 0, upperBound: 3, parts: [:], missing: ["kdigo.creatinine"] + missing, band: "none")
        }
        let earlier = points.dropLast()
        let within48 = earlier.filter { current.time.timeIntervalSince($0.time) <= 48 * 3600 }.map(\.value)
        let within7d = earlier.filter { current.time.timeIntervalSince($0.time) <= 7 * 86_400 }.map(\.value)
        var parts: [String: Int] = [:]
        let rise = within48.min().map { current.value - $0 }
        if let rise { parts["kdigo.rise48h"] = rise }
        var ratioHundredths: Int?
        if let baseline = within7d.min(), baseline > 0 {
            ratioHundredths = current.value * 100 / baseline
            parts["kdigo.ratio7d"] = ratioHundredths
        } else {
            missing.append("kdigo.baseline")
        }
        let acuteRise = (rise ?? 0) >= 30 || (ratioHundredths ?? 0) >= 150
        var stage = 0
        if let ratio = ratioHundredths {
            if ratio >= 300 {
                stage = 3
            } else if ratio >= 200 {
                stage = 2
            } else if ratio >= 150 {
                stage = 1
            }
        }
        if stage < 1, (rise ?? 0) >= 30 { stage = 1 }
        if acuteRise, current.value >= 400 {
            stage = 3
            parts["kdigo.absolute"] = 1
        }
        return ScoreResult(
            name: "kdigo", value: stage, upperBound: 3, parts: parts, missing: missing,
            band: stage == 0 ? "none" : "stage\(stage)")
    }
}
