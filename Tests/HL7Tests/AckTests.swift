import Foundation
import Testing
import VigilHL7

/// ACKs are parsed back with our own parser and compared with the original's header
/// (ms/samples/ADT-A01-01.hl7: MSH-3 ADTApp, MSH-5 EHRApp^1.Edu^ISO, MSH-10 MSG00001, MSH-12 2.8).
@Suite struct AckTests {
    static let time = Date(timeIntervalSince1970: 1_714_566_896)  // 2024-05-01T12:34:56Z

    static func original() throws -> HL7Message {
        try HL7Message(parsing: try HL7Fixtures.bytes("ms/samples/ADT-A01-01.hl7"))
    }

    @Test func acceptSwapsEndpointsAndEchoesIds() throws {
        let original = try Self.original()
        let bytes = HL7Ack.build(
            replyingTo: original.header, code: .applicationAccept, controlID: "ACK-1", timestamp: Self.time)
        #expect(!bytes.contains(0x0A) && bytes.last == 0x0D)
        let ack = try HL7Message(parsing: bytes)
        #expect(ack.segmentIDs == ["MSH", "MSA"])
        let msh = ack.header
        #expect(msh.sendingApplication.namespaceID == "EHRApp")
        #expect(msh.sendingApplication.universalID == "1.Edu")
        #expect(msh.sendingFacility.namespaceID == "GHHRFacility")
        #expect(msh.receivingApplication.namespaceID == "ADTApp")
        #expect(msh.receivingFacility.universalID == "2.16.840.1.122848.1.30")
        #expect(msh.messageType == "ACK^A01^ACK")
        #expect(msh.controlID == "ACK-1")
        #expect(msh.processingID == "P")
        #expect(msh.version == "2.8")
        #expect(msh.dateTime?.description == "20240501123456+0000")
        #expect(ack.msa?.acknowledgmentCode == "AA")
        #expect(ack.msa?.controlID == "MSG00001")
        #expect(ack.err.isEmpty)
    }

    @Test(arguments: [HL7AckCode.applicationError, .applicationReject])
    func errorAcksCarryAnErrSegment(_ code: HL7AckCode) throws {
        let error = HL7AckError(
            condition: .requiredFieldMissing, text: "PID-3 missing | see spec", segmentID: "PID", segmentSequence: 1,
            field: 3)
        let bytes = HL7Ack.build(
            replyingTo: try Self.original().header, code: code, controlID: "A2", error: error, timestamp: Self.time)
        let ack = try HL7Message(parsing: bytes)
        #expect(ack.msa?.acknowledgmentCode == code.rawValue)
        #expect(ack.msa?.controlID == "MSG00001")
        let err = try #require(ack.err.first)
        #expect(err.hl7ErrorCode.identifier == "101")
        #expect(err.hl7ErrorCode.text == "Required field missing")
        #expect(err.hl7ErrorCode.codingSystem == "HL70357")
        #expect(err.severity == "E")
        #expect(err.userMessage == "PID-3 missing | see spec")  // escaped on the way out, decoded back
        #expect(err.locations.first?.component(1).string == "PID")
        #expect(err.locations.first?.component(2).string == "1")
        #expect(err.locations.first?.component(3).string == "3")
    }

    @Test func versionsBefore25UseMsa3AndErr1() throws {
        // ms/samples/ADT01-23.hl7 is v2.3, MSH-10 599102.
        let original = try HL7Message(parsing: try HL7Fixtures.bytes("ms/samples/ADT01-23.hl7"))
        let error = HL7AckError(condition: .unsupportedEventCode, text: "not mapped")
        let ack = try HL7Message(
            parsing: HL7Ack.build(
                replyingTo: original.header, code: .applicationReject, controlID: "Z", error: error,
                timestamp: Self.time))
        #expect(ack.header.version == "2.3")
        #expect(ack.msa?.controlID == "599102")
        #expect(ack.msa?.textMessage == "not mapped")
        let eld = try #require(ack.err.first?.codeAndLocation.first)
        #expect(eld.component(4).subcomponent(1).string == "201")
        #expect(eld.component(4).subcomponent(3).string == "HL70357")
    }

    @Test func usesTheOriginalsDelimiters() throws {
        let original = try HL7Message(parsing: "MSH$%~\\&$SND$SF$RCV$RF$20240101$$ORU%R01$C9$T$2.5.1\rPID$1\r")
        let bytes = HL7Ack.build(
            replyingTo: original.header, code: .applicationError, controlID: "a$b",
            error: HL7AckError(condition: .applicationInternalError, text: "50% done"), timestamp: Self.time)
        #expect(bytes.starts(with: Array("MSH$%~\\&$RCV$RF$SND$SF$".utf8)))
        let ack = try HL7Message(parsing: bytes)
        #expect(ack.header.controlID == "a$b")
        #expect(ack.header.messageType == "ACK%R01%ACK")
        #expect(ack.header.processingID == "T")
        #expect(ack.msa?.controlID == "C9")
        #expect(ack.err.first?.userMessage == "50% done")
    }

    @Test func repliesEvenWhenTheMessageDoesNotParse() throws {
        // Header readable, body broken: MSA-2 still echoes MSH-10, ERR points at the segment.
        let broken = Array("MSH|^~\\&|S|SF|R|RF|20240101||ADT^A01|C1|P|2.5\rPID|1\rPID|2|\u{0}\r".utf8)
        var parseError: HL7ParseError?
        do { _ = try HL7Message(parsing: broken) } catch { parseError = error }
        let failure = try #require(parseError)
        let ackError = HL7AckError(failure, bytes: broken)
        #expect(ackError.segmentID == "PID" && ackError.segmentSequence == 2 && ackError.field == 2)
        let ack = try HL7Message(
            parsing: HL7Ack.build(
                replyingTo: broken, code: .applicationReject, controlID: "N1", error: ackError, timestamp: Self.time))
        #expect(ack.msa?.controlID == "C1")
        #expect(ack.header.receivingApplication.namespaceID == "S")
        #expect(ack.err.first?.hl7ErrorCode.identifier == "102")
        #expect(ack.err.first?.userMessage == "NUL byte in message")
        // Nothing readable: standard delimiters, empty MSA-2.
        let garbage = HL7Ack.build(
            replyingTo: Array("GARBAGE".utf8), code: .applicationReject, controlID: "N2",
            error: HL7AckError(HL7ParseError(.parseError, "message does not start with an MSH segment")),
            timestamp: Self.time)
        let reply = try HL7Message(parsing: garbage)
        #expect(reply.msa?.acknowledgmentCode == "AR")
        #expect(reply.msa?.controlID == nil)
        #expect(reply.header.version == "2.5")
    }
}
