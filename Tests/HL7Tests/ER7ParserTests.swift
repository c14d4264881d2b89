import Testing
import VigilHL7

/// Structure: segments, fields, repetitions, components, sub-components, null vs empty, terminators.
@Suite struct ER7ParserTests {
    static let sample = [
        "MSH|^~\\&|LAB|HOSP|ING|HOSP|20240101120000||ORU^R01^ORU_R01|MSG0001|P|2.5.1",
        "PID|1||123^^^HOSP&1.2.3&ISO^MR~456^^^SSA^SS||DOE^JANE||19700101|F|||\"\"|||",
        "OBX|1|NM|8867-4^Heart rate^LN||72|/min|||||F",
    ]

    static func parse(_ lines: [String], terminator: String = "\r") throws -> HL7Message {
        try HL7Message(parsing: lines.joined(separator: terminator) + terminator)
    }

    @Test func readsFieldsRepetitionsComponentsAndSubcomponents() throws {
        let pid = try #require(try Self.parse(Self.sample).firstSegment("PID"))
        #expect(pid.id == "PID")
        #expect(pid.string(1) == "1")
        let ids = pid.field(3)
        #expect(ids.repetitions.count == 2)
        #expect(ids.repetition(1).component(1).string == "123")
        #expect(ids.repetition(2).component(5).string == "SS")
        #expect(ids.repetition(1).component(4).subcomponents.map(\.string) == ["HOSP", "1.2.3", "ISO"])
        #expect(pid.string(3, 4, 2) == "1.2.3")
        #expect(pid.string(3, 1, repetition: 2) == "456")
        #expect(ids[4, 3].string == "ISO")
        // A simple value is its own first component and sub-component (HL7's rule; python-hl7's "longer paths").
        #expect(pid.field(8).component(1).subcomponent(1).string == "F")
        #expect(pid.field(8).component(2).value == .absent)
        #expect(pid.field(5).encoded == "DOE^JANE")
    }

    @Test func nullIsDistinctFromEmptyAndAbsent() throws {
        let pid = try #require(try Self.parse(Self.sample).firstSegment("PID"))
        #expect(pid.field(11).value == .null)  // ""
        #expect(pid.field(11).isNull && !pid.field(11).isEmpty)
        #expect(pid.field(11).string == nil)
        #expect(pid.field(10).value == .absent)  // ||
        #expect(pid.field(10).isEmpty && !pid.field(10).isNull)
        #expect(pid.field(40).value == .absent)  // past the end
        #expect(pid.field(14).value == .absent)  // trailing empty
        #expect(pid.fieldCount == 14)
        // A null component inside a composite.
        let msg = try HL7Message(parsing: "MSH|^~\\&|A\rIN1|1|PO BOX 223^\"\"^NEW YORK\r")
        #expect(msg.segment(at: 1).value(2, 2) == .null)
        #expect(msg.segment(at: 1).value(2, 3) == .value("NEW YORK"))
    }

    @Test func mshNumbersTheSeparatorAsFieldOne() throws {
        let msh = try Self.parse(Self.sample).segment(at: 0)
        #expect(msh.isHeader)
        #expect(msh.field(1).string == "|")
        #expect(msh.field(2).string == "^~\\&")  // literal: not split, not unescaped
        #expect(msh.field(2).components.count == 1)
        #expect(msh.string(3) == "LAB")
        #expect(msh.string(9, 2) == "R01")
        #expect(msh.string(12) == "2.5.1")
        #expect(msh.fieldCount == 12)
    }

    @Test func crLfAndCrlfTerminatorsAreEquivalent() throws {
        let cr = try Self.parse(Self.sample, terminator: "\r")
        for terminator in ["\n", "\r\n", "\r\n\r\n", "\n\n"] {
            let other = try Self.parse(Self.sample, terminator: terminator)
            #expect(other.segmentIDs == cr.segmentIDs, "\(terminator.debugDescription)")
            #expect(other.segments.map(\.encoded) == cr.segments.map(\.encoded))
        }
        // No terminator after the last segment, and trailing whitespace lines.
        let bare = try HL7Message(parsing: Self.sample.joined(separator: "\r"))
        #expect(bare.segmentCount == 3)
        let padded = try HL7Message(parsing: "\r\n" + Self.sample.joined(separator: "\r") + "\r\n  \n\t\r\n")
        #expect(padded.segmentCount == 3)
    }

    @Test func skipsALeadingByteOrderMark() throws {
        let bytes: [UInt8] = [0xEF, 0xBB, 0xBF] + Array((Self.sample.joined(separator: "\n")).utf8)
        let message = try HL7Message(parsing: bytes)
        #expect(message.segmentCount == 3)
        #expect(message.bytes.starts(with: Array("MSH".utf8)))
        #expect(message.header.controlID == "MSG0001")
    }

    @Test func bareLineFeedInACarriageReturnMessageIsText() throws {
        // Senders often leave line breaks in report text unescaped; with CR terminators that LF is data.
        let text = "MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|2.5\rOBX|1|TX|X||line one\nline two||||||F\rNTE|1\r"
        let message = try HL7Message(parsing: text)
        #expect(message.segmentIDs == ["MSH", "OBX", "NTE"])
        #expect(message.segment(at: 1).string(5) == "line one\nline two")
        #expect(message.segment(at: 1).string(11) == "F")
        let indented = try HL7Message(parsing: "MSH|^~\\&|A\rNTE|1||first\n  second\n\tthird\rNTE|2\r")
        #expect(indented.segment(at: 1).string(3) == "first\n  second\n\tthird")
        // ... unless a segment starts after it (mixed terminators).
        let mixed = try HL7Message(parsing: "MSH|^~\\&|A\rPID|1\nPV1|1|I\r")
        #expect(mixed.segmentIDs == ["MSH", "PID", "PV1"])
    }

    @Test func customDelimitersComeFromTheHeader() throws {
        // python-hl7 test_nonstandard_separators: PID-5 is [EVERYWOMAN, EVE, E, '', '', L].
        let message = try HL7Message(parsing: "MSH$%~\\&$GHH LAB\rPID$$$555-44-4444$$EVERYWOMAN%EVE%E%%%L\r")
        #expect(message.delimiters.field == UInt8(ascii: "$"))
        #expect(message.delimiters.component == UInt8(ascii: "%"))
        let pid = message.segment(at: 1)
        #expect(pid.field(5).components.map { $0.string ?? "" } == ["EVERYWOMAN", "EVE", "E", "", "", "L"])
        #expect(pid.string(3) == "555-44-4444")
        #expect(message.segment(at: 0).string(3) == "GHH LAB")
    }

    @Test func acceptsTheV27TruncationCharacter() throws {
        let message = try HL7Message(parsing: "MSH|^~\\&#|A|B|C|D|20240101||ORU^R01|1|P|2.7\rOBX|1|ST|X||ABC#\r")
        #expect(message.delimiters.truncation == UInt8(ascii: "#"))
        #expect(message.delimiters.encodingCharacters == Array("^~\\&#".utf8))
        #expect(message.segment(at: 1).string(5) == "ABC#")  // kept: it marks truncation, it is not a delimiter
        #expect(message.segment(at: 0).string(3) == "A")
    }

    @Test(arguments: [
        "MSH||||||",  // no encoding characters
        "MSH|^~\\",  // three
        "MSH|^~\\&#$|A",  // six
        "MSH|^&&^|A",  // duplicate
        "MSH|^~\\||A",  // field separator repeated in MSH-2
        "MSH|^~y&|A",  // letter
        "MSH0^~\\&0A",  // digit as field separator
        "MSH ^~\\& A",  // space as field separator
        "MSH|^~\\\u{01}|A",  // control character
    ])
    func rejectsInvalidEncodingCharacters(_ text: String) {
        #expect(throws: HL7ParseError.self) { try HL7Message(parsing: text) }
        do {
            _ = try HL7Message(parsing: text)
        } catch {
            #expect(error.code == .parseError)
            #expect(error.field == 2)
        }
    }

    @Test func reportsPositionsNeverContent() throws {
        let secret = "SECRETNAME"
        let cases: [(String, HL7ParseError.Code, Int?)] = [
            ("MSH|^~\\&|A\rPID|1\r\(secret)|x\r", .parseError, 3),  // not a segment id
            ("MSH|^~\\&|A\rPID|1||\(secret)\u{0}\r", .encodingError, 2),  // NUL
            ("PID|1|\(secret)\r", .parseError, 1),  // no MSH
            ("MSH|^~\\&|A\rMSH|^~\\&|B\r", .parseError, 2),  // two messages
        ]
        for (text, code, segment) in cases {
            do {
                _ = try HL7Message(parsing: text)
                Issue.record("parsed: \(text.debugDescription)")
            } catch {
                #expect(error.code == code)
                #expect(error.segmentIndex == segment)
                #expect(!error.description.contains(secret))
            }
        }
        do {
            _ = try HL7Message(parsing: "MSH|^~\\&|A\rPID|1||\(secret)\u{0}\r")
        } catch {
            #expect(error.segmentID == "PID" && error.field == 3)
        }
    }

    @Test func enforcesTheSizeLimit() throws {
        let text = "MSH|^~\\&|A\rOBX|1|ED|X||" + String(repeating: "A", count: 2000) + "\r"
        #expect(throws: HL7ParseError.self) {
            try HL7Message(parsing: text, options: HL7ParseOptions(maxMessageBytes: 1000))
        }
        do {
            _ = try HL7Message(parsing: text, options: HL7ParseOptions(maxMessageBytes: 1000))
        } catch {
            #expect(error.code == .tooLarge)
        }
        #expect(try HL7Message(parsing: text).segmentCount == 2)
    }

    @Test func rejectsXMLAsUnsupported() {
        do {
            _ = try HL7Message(parsing: "<?xml version=\"1.0\"?><ADT_A01/>")
            Issue.record("parsed XML")
        } catch {
            #expect(error.code == .unsupportedMessage)
        }
    }

    @Test func segmentLookupAndHeaderOnlyParse() throws {
        let message = try Self.parse(Self.sample + ["OBX|2|NM|X||1", "NTE|1||x"])
        #expect(message.segments("OBX").map { $0.string(1) } == ["1", "2"])
        #expect(message.firstSegment("NTE")?.index == 4)
        #expect(message.firstSegment("ZZZ") == nil)
        #expect(message.segments("TOOLONG").isEmpty)
        // The header alone, even when a later segment is broken.
        let broken = Array((Self.sample[0] + "\r##BROKEN\r").utf8)
        #expect(throws: HL7ParseError.self) { try HL7Message(parsing: broken) }
        #expect(try HL7Message.header(of: broken).controlID == "MSG0001")
    }

    @Test func segmentIdsWithDigitsAndZSegmentsAreSegments() throws {
        let message = try HL7Message(parsing: "MSH|^~\\&|A\rPV1|1\rZPD|x\rIN1\rIN2||y\r")
        #expect(message.segmentIDs == ["MSH", "PV1", "ZPD", "IN1", "IN2"])
        #expect(message.segment(at: 3).fieldCount == 0)
        #expect(message.segment(at: 4).string(2) == "y")
    }

    /// Regression: `field(0)` of MSH once indexed raw field -1 (found by the edge-corpus walk).
    @Test func fieldNumbersBelowOneAreAbsent() throws {
        let message = try Self.parse(Self.sample)
        for segment in message.segments {
            #expect(segment.field(0).value == .absent)
            #expect(segment.field(-3).repetitions.isEmpty)
        }
        #expect(message.segment(at: 1).field(3).repetition(0).value == .absent)
        #expect(message.segment(at: 1).field(3).component(-1).value == .absent)
    }
}
