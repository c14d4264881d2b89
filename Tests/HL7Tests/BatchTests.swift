import Testing
import VigilHL7

/// Batch files, back-to-back messages and captured MLLP streams. Expected values for the python-hl7 samples
/// are the assertions of python-hl7's tests/test_parse.py (test_parse_batch*, test_parse_file*,
/// test_parse_bad_*), which parse the same strings.
@Suite struct BatchTests {
    static func batch(_ path: String) throws -> HL7Batch { try HL7Batch(parsing: try HL7Fixtures.bytes(path)) }

    @Test func batchWithHeaderAndTrailer() throws {
        let batch = try Self.batch("edge/python-hl7/sample_batch1.hl7")
        let messages = try batch.requireAll()
        #expect(messages.map { $0.header.controlID } == ["12334456778890", "12334456778891"])
        #expect(batch.batchHeaders.first?.string(4) == "ABCHS")
        #expect(batch.batchTrailers.first?.string(1) == "2")
        #expect(batch.fileHeader == nil)
        #expect(messages.allSatisfy { $0.segmentIDs == ["MSH", "EVN", "PID", "PD1", "NK1", "PV1"] })
    }

    @Test func fileWithBatch() throws {
        let file = try Self.batch("edge/python-hl7/sample_file.hl7")
        #expect(try file.requireAll().count == 1)
        #expect(file.fileHeader?.string(4) == "ABCHS")
        #expect(file.fileTrailer?.string(1) == "1")
        #expect(file.envelope.map(\.id) == ["FHS", "BHS", "BTS", "FTS"])
        // test_file: the message inside has these segments.
        #expect(file.messages[0].segmentIDs == ["MSH", "EVN", "PID", "PD1", "NK1", "PV1"])
    }

    @Test(arguments: [
        ("edge/python-hl7/sample_file2.hl7", 2), ("edge/python-hl7/sample_batch3.hl7", 1),
        ("edge/python-hl7/sample_file4.hl7", 1), ("edge/python-hl7/sample_file6.hl7", 1),
    ])
    func lenientEnvelopes(_ path: String, _ count: Int) throws {
        // Missing BHS, BTS or FHS: python-hl7 accepts these, and so do we.
        #expect(try Self.batch(path).requireAll().count == count)
    }

    @Test(arguments: [
        "edge/python-hl7/sample_bad_batch1.hl7",  // "Batch cannot have more than one BHS segment"
        "edge/python-hl7/sample_bad_file1.hl7",  // same, inside a file
        "edge/python-hl7/sample_bad_file3.hl7",  // "Segment received before message header"
    ])
    func malformedEnvelopesAreParseErrors(_ path: String) throws {
        let bytes = try HL7Fixtures.bytes(path)
        do {
            _ = try HL7Batch(parsing: bytes)
            Issue.record("accepted \(path)")
        } catch {
            #expect(error.code == .parseError)
        }
    }

    @Test func structuralErrorsInInlineBatches() {
        let cases = [
            "MSH|^~\\&|A\rFHS|^~\\&\r",  // FHS not first
            "FTS|1\rMSH|^~\\&|A\r",  // data after FTS
            "EVN|A01\rMSH|^~\\&|A\r",  // segment before the header
            "BHS|^~\\&\rBHS|^~\\&\rMSH|^~\\&|A\r",  // BHS inside an open batch
        ]
        for text in cases {
            #expect(throws: HL7ParseError.self, "\(text.debugDescription)") { try HL7Batch(parsing: text) }
        }
    }

    @Test func backToBackMessagesWithoutHeaders() throws {
        // nHapi's OML_O21_messages.txt: seven messages separated by blank lines; control ids read from the file
        // (the fifth and seventh have an empty MSH-10).
        let batch = try Self.batch("edge/nhapi/Parser/OML_O21_messages.txt")
        let messages = try batch.requireAll()
        #expect(
            messages.map { $0.header.controlID } == [
                "msgOP123", "msgOF102", "msgOP124", "msgOF109", nil, "msgOF101", nil,
            ])
        // Message 5 has UTF-8 in PID-5 and no MSH-18: read as UTF-8.
        #expect(messages[4].pid?.names.first?.givenName == "RODOLFO SEBASTIÁN")
        #expect(
            messages[4].segmentIDs == ["MSH", "PID", "IN1"] + Array(repeating: ["ORC", "OBR"], count: 4).flatMap { $0 })
    }

    @Test func oneBrokenMessageDoesNotHideTheOthers() throws {
        let text = [
            "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5", "PID|1",
            "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|2|P|2.5", "PID|1||\u{0}",
            "MSH|^&&^|A|B|C|D|20240101||ADT^A01|3|P|2.5",
            "MSH|^~\\&|A|B|C|D|20240101||ADT^A01|4|P|2.5", "PID|1",
        ].joined(separator: "\r")
        let batch = try HL7Batch(parsing: text)
        #expect(batch.entries.count == 4)
        #expect(batch.messages.map { $0.header.controlID } == ["1", "4"])
        #expect(batch.errors.map(\.code) == [.encodingError, .parseError])
        #expect(batch.errors.map(\.messageIndex) == [2, 3])
        #expect(throws: HL7ParseError.self) { try batch.requireAll() }
        let second = batch.entries[1].byteRange
        #expect(Array(text.utf8)[second].starts(with: Array("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|2".utf8)))
    }

    @Test func messageRangesSplitWithoutParsing() throws {
        let bytes = try HL7Fixtures.bytes("edge/python-hl7/sample_file2.hl7")
        let ranges = try HL7Batch.messageRanges(in: bytes)
        #expect(ranges.count == 2)
        for range in ranges {
            #expect(bytes[range].starts(with: Array("MSH|".utf8)))
            #expect(try HL7Message(parsing: Array(bytes[range])).segmentCount == 6)
        }
    }

    @Test func capturedMLLPStream() throws {
        // Two frames, control ids MSG0001 and MSG0002 (read from the file).
        let batch = try Self.batch("edge/synthetic/mllp_two_frames.bin")
        #expect(try batch.requireAll().map { $0.header.controlID } == ["MSG0001", "MSG0002"])
        // Garbage between frames and a frame without its end block become entries, not silence.
        var bytes = MLLP.encode(Array("MSH|^~\\&|A|B|C|D|1||ADT^A01|X1|P|2.5\r".utf8))
        bytes += Array("noise".utf8)
        bytes += MLLP.encode(Array("MSH|^~\\&|A|B|C|D|1||ADT^A01|X2|P|2.5\r".utf8))
        bytes += [MLLP.startBlock] + Array("MSH|^~\\&|A".utf8)
        let mixed = try HL7Batch(parsing: bytes)
        #expect(mixed.messages.map { $0.header.controlID } == ["X1", "X2"])
        #expect(mixed.errors.count == 2)
        #expect(mixed.errors.map(\.messageIndex) == [2, 4])
    }
}
