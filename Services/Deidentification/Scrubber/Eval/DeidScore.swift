/// Character-level scoring exactly as `tools/score_deid.py` does it: whitespace is not counted, the union of
/// predicted spans is compared with the gold PHI characters, and predicted characters on ignored gold types
/// are neither right nor wrong.
public struct DeidScore: Sendable {
    public var goldChars = 0
    public var predictedChars = 0
    public var truePositiveChars = 0
    public var goldSpans = 0
    public var goldSpansFound = 0

    public var charRecall: Double { goldChars == 0 ? 0 : Double(truePositiveChars) / Double(goldChars) }
    public var charPrecision: Double { predictedChars == 0 ? 0 : Double(truePositiveChars) / Double(predictedChars) }
    public var spanRecall: Double { goldSpans == 0 ? 0 : Double(goldSpansFound) / Double(goldSpans) }

    public init() {}

    /// Adds one document with its predicted spans.
    public mutating func add(_ document: GoldDocument, predicted: [PHISpan], ignoring ignored: Set<String> = []) {
        let scalars = Array(document.text.unicodeScalars)
        let n = scalars.count
        var gold = [Bool](repeating: false, count: n)
        var dontCare = [Bool](repeating: false, count: n)
        var predicted01 = [Bool](repeating: false, count: n)
        func mark(_ flags: inout [Bool], _ start: Int, _ end: Int) {
            let a = max(0, start)
            let b = min(n, end)
            if a < b { for i in a..<b where !Self.isSpace(scalars[i]) { flags[i] = true } }
        }
        let kept = document.phi.filter { !ignored.contains($0.type.uppercased()) }
        for s in kept { mark(&gold, s.start, s.end) }
        for s in document.phi where ignored.contains(s.type.uppercased()) { mark(&dontCare, s.start, s.end) }
        for s in predicted { mark(&predicted01, s.start, s.end) }
        for i in 0..<n {
            let p = predicted01[i] && !(dontCare[i] && !gold[i])
            if gold[i] { goldChars += 1 }
            if p { predictedChars += 1 }
            if p && gold[i] { truePositiveChars += 1 }
        }
        for s in kept {
            let a = max(0, s.start)
            let b = min(n, s.end)
            guard a < b else { continue }
            var chars = (a..<b).filter { !Self.isSpace(scalars[$0]) }
            if chars.isEmpty { chars = Array(a..<b) }
            let covered = chars.filter { predicted01[$0] && !(dontCare[$0] && !gold[$0]) }.count
            goldSpans += 1
            if Double(covered) / Double(chars.count) >= 0.5 { goldSpansFound += 1 }
        }
    }

    /// Python's `str.isspace()`.
    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        let v = s.value
        if v < 128 { return v == 32 || (v >= 9 && v <= 13) || (v >= 0x1C && v <= 0x1F) }
        return s.properties.isWhitespace || v == 0x85
    }
}
