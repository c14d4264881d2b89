import Testing

@testable import Deidentification

/// The byte-wise search of ASCII text finds exactly what Foundation's case- and diacritic-insensitive search does.
@Suite struct ASCIIWordSearchTests {
    static let haystacks = [
        "", "Smith", "smith", "SMITH", "Smithson", "J. Smith, MD", "asmith smith", "smith2", "2smith", "Dr Smith.",
        "white count 7.2, White, J", "annanna anna", "anna-anna", "{\"name\":\"Smith\"}", "mrn 123456789 x",
        "Heart rate", "o'brien O'Brien", "smit", "sm ith", "smith_smith", "\t smith\n",
    ]
    static let needles = ["smith", "white", "anna", "o'brien", "123456789", "heart rate", "s", "smith smith", "h"]

    @Test func theSameAnswerAsFoundationsSearch() throws {
        for text in Self.haystacks {
            let search = try #require(ASCIIWordSearch(text))
            for needle in Self.needles {
                for capitalisedOnly in [false, true] {
                    let expected = KnownIdentityMatcher.wordRanges(text, needle).contains {
                        !capitalisedOnly || text[$0].first?.isUppercase == true
                    }
                    #expect(
                        search.contains(needle, capitalisedOnly: capitalisedOnly) == expected,
                        "\(needle) in \(text), capitalised only: \(capitalisedOnly)")
                }
            }
            #expect(search.digits == text.filter(\.isNumber))
        }
    }

    @Test func nonASCIITextAndNeedlesAreLeftToFoundation() {
        #expect(ASCIIWordSearch("Müller") == nil)
        #expect(ASCIIWordSearch("a\r\nb") == nil)
        #expect(ASCIIWordSearch("Muller")?.contains("müller", capitalisedOnly: false) == nil)
    }
}
