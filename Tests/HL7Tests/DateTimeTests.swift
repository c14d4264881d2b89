import Foundation
import Testing
import VigilHL7

@Suite struct DateTimeTests {
    @Test(arguments: [
        ("2024", HL7DateTime.Precision.year), ("202405", .month), ("20240501", .day), ("2024050112", .hour),
        ("202405011234", .minute), ("20240501123456", .second), ("20240501123456.7", .fraction),
        ("20240501123456.1234", .fraction), ("20240501+0200", .day), ("198908181126+0215", .minute),
    ])
    func keepsThePrecisionSent(_ text: String, _ precision: HL7DateTime.Precision) throws {
        let value = try #require(HL7DateTime(text))
        #expect(value.precision == precision)
        #expect(value.description == text)  // round-trips exactly
    }

    @Test func readsPartsAndOffset() throws {
        // EVN-6 of ms/samples/ADT-A01-01.hl7.
        let value = try #require(HL7DateTime("20210817151943.4+0200"))
        #expect(value.year == 2021 && value.month == 8 && value.day == 17)
        #expect(value.hour == 15 && value.minute == 19 && value.second == 43)
        #expect(value.nanosecond == 400_000_000 && value.fractionDigits == 1)
        #expect(value.utcOffsetMinutes == 120)
        #expect(value.date() == Date(timeIntervalSince1970: 1_629_206_383.4))  // 13:19:43.4Z
        let negative = try #require(HL7DateTime("201203141259-0215"))
        #expect(negative.utcOffsetMinutes == -135)
        #expect(negative.date() == Date(timeIntervalSince1970: 1_331_729_940 + 135 * 60))  // 12:59 at -02:15 is 15:14Z
    }

    @Test func dateIsTheStartOfThePeriod() throws {
        #expect(try #require(HL7DateTime("2024")).date() == Date(timeIntervalSince1970: 1_704_067_200))
        #expect(try #require(HL7DateTime("20240229")).date() == Date(timeIntervalSince1970: 1_709_164_800))
        // No offset: the caller says what local time the sender uses.
        let local = try #require(HL7DateTime("202402291000"))
        #expect(local.utcOffsetMinutes == nil)
        #expect(local.date(assumedOffsetMinutes: 60) == Date(timeIntervalSince1970: 1_709_164_800 + 9 * 3600))
    }

    @Test(arguments: [
        "", "202", "20241", "2024130", "20240230", "20230229", "2024010124", "202401011260", "20240101120060",
        "20240101120000.", "20240101.5", "2024-01-01", "20240101T1200", "20240101+02", "20240101+2400",
        "20240101+0260", "20240101123456.1234567890", "abcd", "2024010112 ",
    ])
    func rejectsMalformedValues(_ text: String) {
        #expect(HL7DateTime(text) == nil)
    }

    @Test func accessorsReadTheFirstComponent() throws {
        // TS with the deprecated precision component: "20240101120000^S".
        let message = try HL7Message(parsing: "MSH|^~\\&|A|B|C|D|20240101120000^S||ADT^A01|1|P|2.5\r")
        #expect(message.header.dateTime?.description == "20240101120000")
    }

    @Test func formatsAnInstant() throws {
        let value = try #require(HL7DateTime(date: Date(timeIntervalSince1970: 951_782_400.9), utcOffsetMinutes: -300))
        #expect(value.description == "20000228190000-0500")
        #expect(HL7DateTime(date: Date(timeIntervalSince1970: 1e13)) == nil)
    }
}
