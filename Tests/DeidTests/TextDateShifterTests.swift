@testable import Deidentification
import Testing

/// Dates in notes move by the patient's offset and keep their format; anything unreadable is left to `[DATE]`.
@Suite struct TextDateShifterTests {
    @Test(arguments: [
        ("2024-05-01", -35, "2024-03-27"),
        ("05/01/2024", -35, "03/27/2024"),
        ("5/1/24", -35, "3/27/24"),
        ("1 May 2024", -35, "27 March 2024"),
        ("May 1, 2024", 1, "May 2, 2024"),
        ("March 5th, 2021", -35, "January 29th, 2021"),
        ("Mar 5 2021", -4, "Mar 1 2021"),
        ("2024-03-01", -1, "2024-02-29"),
        ("12/31/1999", 1, "01/01/2000"),
    ])
    func shiftsKeepingTheFormat(input: String, days: Int, expected: String) {
        #expect(TextDateShifter.shift(input, days: days) == expected)
    }

    @Test(arguments: ["yesterday", "13/45/2020", "2024-02-30", "May 2024", "1997", "Tuesday"])
    func unreadableDatesAreNotGuessed(input: String) {
        #expect(TextDateShifter.shift(input, days: -10) == nil)
    }
}
