import DeidScrubber
import Foundation

/// One scrubber for all tests: the word lists load once.
let scrubber = Scrubber()

let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

/// Scalar offsets of the first occurrence of `needle` in `text`.
func scalarRange(of needle: String, in text: String) -> Range<Int>? {
    let hay = Array(text.unicodeScalars)
    let n = Array(needle.unicodeScalars)
    guard !n.isEmpty, n.count <= hay.count else { return nil }
    for i in 0...(hay.count - n.count) where Array(hay[i..<(i + n.count)]) == n { return i..<(i + n.count) }
    return nil
}

/// Whether the spans cover every non-blank scalar of `range`.
func covers(_ spans: [PHISpan], _ range: Range<Int>, in text: String) -> Bool {
    let scalars = Array(text.unicodeScalars)
    return range.allSatisfy { i in scalars[i].properties.isWhitespace || spans.contains { $0.start <= i && i < $0.end }
    }
}

/// Whether `needle` (first occurrence) is fully detected in `text`.
func detects(_ needle: String, in text: String, known: KnownPHI = .none, with s: Scrubber = scrubber) -> Bool {
    guard let range = scalarRange(of: needle, in: text) else { return false }
    return covers(s.detect(text, known: known), range, in: text)
}

/// Whether no detected span touches `needle` (first occurrence).
func leaves(_ needle: String, in text: String, known: KnownPHI = .none) -> Bool {
    guard let range = scalarRange(of: needle, in: text) else { return false }
    return !scrubber.detect(text, known: known).contains { $0.start < range.upperBound && range.lowerBound < $0.end }
}
