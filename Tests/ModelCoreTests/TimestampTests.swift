import Foundation
import Testing
import VigilModelCore

@Suite struct TimestampTests {
    // Epoch seconds computed independently with Python's datetime(..., tzinfo=timezone.utc).timestamp().
    @Test func formatsUTCWithMilliseconds() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_714_566_896.789)) == "2024-05-01T12:34:56.789Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 951_868_799)) == "2000-02-29T23:59:59.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -2_208_988_800)) == "1900-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.001)) == "1969-12-31T23:59:59.999Z")
    }

    @Test func parsesRFC3339Variants() {
        let expected = Date(timeIntervalSince1970: 1_714_566_896.789)
        #expect(Timestamp.parse("2024-05-01T12:34:56.789Z") == expected)
        #expect(Timestamp.parse("2024-05-01t12:34:56.789z") == expected)
        #expect(Timestamp.parse("2024-05-01T14:34:56.789+02:00") == expected)
        #expect(Timestamp.parse("2024-05-01T07:04:56.789-05:30") == expected)
        #expect(Timestamp.parse("2024-05-01T12:34:56.7886Z") == expected)  // rounded to ms
        #expect(Timestamp.parse("2024-05-01T12:34:56Z") == Date(timeIntervalSince1970: 1_714_566_896))
        #expect(Timestamp.parse("2024-05-01T12:34:56.5Z") == Date(timeIntervalSince1970: 1_714_566_896.5))
    }

    @Test(arguments: [
        "", "2024-05-01", "2024-05-01T12:34:56", "2024-05-01 12:34:56Z", "2023-02-29T00:00:00Z",
        "2024-13-01T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T12:34:56.Z", "2024-05-01T12:34:56+0200",
        "2024-05-01T12:34:56Zjunk",
    ])
    func rejectsMalformed(_ text: String) {
        #expect(Timestamp.parse(text) == nil)
    }

    @Test func roundTripsExactlyAfterNormalisation() {
        let now = Timestamp.normalized(Date())
        #expect(Timestamp.parse(Timestamp.format(now)!) == now)
    }

    @Test func unrepresentableDatesFailToEncode() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: .nan)) == nil)
        #expect(Timestamp.format(Date.distantFuture.addingTimeInterval(1e12)) == nil)
        var event = Fixtures.event()
        event.effectiveTime = Date(timeIntervalSince1970: 1e13)
        let error = #expect(throws: ModelCoreError.self) { try VigilJSON.encode(event) }
        #expect(error?.field == "effectiveTime")
    }
}
