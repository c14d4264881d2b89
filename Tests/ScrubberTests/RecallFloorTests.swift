import DeidScrubber
import Foundation
import Testing

/// The scrubber's character recall and precision on the gold dev corpora, scored as tools/score_deid.py does
/// (whitespace not counted; presidio_synth without AGE). The build fails if recall drops below the floor.
@Suite struct RecallFloorTests {
    static func score(_ corpus: String, ignoring: Set<String>, professions: Bool) throws -> DeidScore {
        let documents = try GoldDocument.load(fixtures.appendingPathComponent("deid/\(corpus)/dev.jsonl"))
        let s = Scrubber(options: .init(professions: professions))
        var score = DeidScore()
        for document in documents { score.add(document, predicted: s.detect(document.text), ignoring: ignoring) }
        return score
    }

    // Floors sit just below the figures measured when they were set (asq_phi 0.9931, presidio_synth 0.9903 with
    // professions on): raise them when the scrubber improves, never lower them to make a change pass. These are
    // dev-set figures; the rules were written while reading dev misses, so held-back recall will be lower.
    static let asqFloor = 0.992
    static let presidioFloor = 0.989

    @Test func asqPhi() throws {
        let score = try Self.score("asq_phi", ignoring: [], professions: false)
        #expect(score.charRecall >= Self.asqFloor)
        #expect(score.charPrecision >= 0.85)
    }

    @Test func presidioSynth() throws {
        let score = try Self.score("presidio_synth", ignoring: ["AGE"], professions: true)
        #expect(score.charRecall >= Self.presidioFloor)
        #expect(score.charPrecision >= 0.85)
    }

    /// Same figures as the Python scorer on a fixed prediction: guards the Swift port.
    @Test func scoreMatchesThePythonScorer() throws {
        let gold = try JSONDecoder().decode(
            GoldDocument.self,
            from: Data(
                (#"{"patient":"1","note":"0","text":"Dr. Ann  Lee, 93 yo, 555-1234","#
                    + #""phi":[{"start":4,"end":12,"type":"NAME"},{"start":14,"end":16,"type":"AGE"}]}"#).utf8))
        var score = DeidScore()
        score.add(
            gold, predicted: [PHISpan(start: 0, end: 9, type: .name), PHISpan(start: 14, end: 16, type: .age)],
            ignoring: ["AGE"])
        // score_deid.py on the same pair: recall 3 / 6, precision 3 / 6, span recall 1 / 1 (AGE is don't-care)
        #expect(score.goldChars == 6)
        #expect(score.predictedChars == 6)
        #expect(score.truePositiveChars == 3)
        #expect(score.spanRecall == 1)
    }
}
