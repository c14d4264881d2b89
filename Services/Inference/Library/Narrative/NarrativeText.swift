/// The words of the narrative adapter: the system prompt, how a summary is rendered, and the deterministic
/// fallback text (same summary ⇒ same text).
public enum NarrativeText {
    public static let systemPrompt = """
        You summarise a hospital patient's recent early-warning scores for a nurse. Write at most three short \
        sentences in plain English using only the facts given. Say which measurements drive the scores. Do not \
        diagnose, do not recommend treatment, do not invent values, dates or names.
        """

    /// e.g. `NEWS2 7 (high): respiratory rate 3, SpO2 2, heart rate 2. qSOFA 1 (negative): respiratory rate 1.`
    public static func fallback(_ summary: PatientSummary) -> String {
        let scores = summary.scores.sorted { $0.name < $1.name }.map { score($0, allParts: false) + "." }
        let latest = measurements(summary)
        var sentences = scores.isEmpty ? ["No early-warning score available."] : scores
        if !latest.isEmpty { sentences.append("Latest: " + latest.joined(separator: "; ") + ".") }
        return sentences.joined(separator: " ")
    }

    /// `NEWS2 7 (high): respiratory rate 3, …` — the points, largest first; zeros only when `allParts`.
    static func score(_ score: PatientSummary.Score, allParts: Bool) -> String {
        var text = "\(scoreLabel(score.name)) \(number(score.value))"
        if let band = score.band { text += " (\(safe(band)))" }
        let parts = score.parts.filter { allParts || $0.value != 0 }
            .map { (label: partLabel($0.key), value: $0.value) }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.label < $1.label }
        if !parts.isEmpty { text += ": " + parts.map { "\($0.label) \(number($0.value))" }.joined(separator: ", ") }
        return text
    }

    /// `respiratory rate 26 /min, 0.5 h ago`, in name order.
    static func measurements(_ summary: PatientSummary) -> [String] {
        summary.measurements.sorted { ($0.name, $0.hoursAgo) < ($1.name, $1.hoursAgo) }.map {
            "\(safe($0.name)) \(number($0.value)) \(safe($0.unit)), \(number(max(0, $0.hoursAgo), places: 1)) h ago"
        }
    }

    static let scoreLabels = ["news2": "NEWS2", "qsofa": "qSOFA", "sirs": "SIRS", "mews": "MEWS", "kdigo": "KDIGO"]

    static let partLabels = [
        "rr": "respiratory rate", "spo2": "SpO2", "o2": "supplemental oxygen", "sbp": "systolic BP", "hr": "heart rate",
        "acvpu": "consciousness", "avpu": "consciousness", "temp": "temperature", "mentation": "mentation",
        "resp": "respiration", "wbc": "white cells", "rise48h": "creatinine rise in 48 h (0.01 mg/dL)",
        "ratio7d": "creatinine vs 7-day baseline (%)", "absolute": "creatinine at least 4 mg/dL",
    ]

    static func scoreLabel(_ name: String) -> String { scoreLabels[name] ?? safe(name) }

    /// `news2.rr` → `respiratory rate`; unknown parts keep their own (sanitised) name.
    static func partLabel(_ key: String) -> String {
        let suffix = key.split(separator: ".").last.map(String.init) ?? key
        return partLabels[suffix] ?? safe(suffix)
    }

    /// Rounded to `places` decimals without trailing zeros: `7`, `37.5`, `0.33`.
    static func number(_ value: Double, places: Int = 2) -> String {
        guard value.isFinite else { return "n/a" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        if rounded == rounded.rounded(), abs(rounded) < 1e15 { return String(Int(rounded)) }
        return String(rounded)
    }

    /// Names and units are ours (codes, UCUM), but a prompt must not carry anything else: keep letters,
    /// digits and unit punctuation, and drop words shaped like a pseudonym, an event id or a date.
    static func safe(_ text: String) -> String {
        let words = text.filter { allowedCharacters.contains($0) }.split(separator: " ").filter { word in
            let lower = word.lowercased()
            return !lower.hasPrefix("p1.") && !lower.hasPrefix("e1.")
                && !word.contains(#/\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}/#)
        }
        return String(words.joined(separator: " ").prefix(48))
    }

    static let allowedCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,%/*^()[]{}_-+")
}
