import Testing
import VigilHL7

/// MSH-18 character sets: decoding, checking, and what happens to sets we do not read.
@Suite struct CharsetTests {
    static func message(charset: String, name: [UInt8]) -> [UInt8] {
        Array("MSH|^~\\&|A|B|C|D|20240101||ADT^A01|1|P|2.5||||||\(charset)\rPID|1||7||".utf8) + name
            + Array("^X\r".utf8)
    }

    static func familyName(_ bytes: [UInt8], _ options: HL7ParseOptions = HL7ParseOptions()) throws -> String? {
        try HL7Message(parsing: bytes, options: options).pid?.names.first?.familyName
    }

    // "MÜLLER": Ü is 0xDC in ISO-8859-1 and C3 9C in UTF-8.
    static let latin1: [UInt8] = [0x4D, 0xDC, 0x4C, 0x4C, 0x45, 0x52]
    static let utf8: [UInt8] = [0x4D, 0xC3, 0x9C, 0x4C, 0x4C, 0x45, 0x52]

    @Test func decodesEachDeclaredSet() throws {
        #expect(try Self.familyName(Self.message(charset: "8859/1", name: Self.latin1)) == "MÜLLER")
        #expect(try Self.familyName(Self.message(charset: "UNICODE UTF-8", name: Self.utf8)) == "MÜLLER")
        #expect(try Self.familyName(Self.message(charset: "", name: Self.utf8)) == "MÜLLER")  // default UTF-8
        #expect(try Self.familyName(Self.message(charset: "ASCII", name: Array("MULLER".utf8))) == "MULLER")
        // Latin-1 bytes read as UTF-8 would be wrong; UTF-8 bytes read as Latin-1 give mojibake, as they should.
        #expect(try Self.familyName(Self.message(charset: "8859/1", name: Self.utf8)) == "MÃ\u{9C}LLER")
        let message = try HL7Message(parsing: Self.message(charset: "8859/1~ISO IR87", name: Self.latin1))
        #expect(message.charset == .iso8859_1)
        #expect(message.header.characterSets == ["8859/1", "ISO IR87"])
    }

    @Test func bytesInvalidForTheDeclaredSetAreEncodingErrors() {
        let cases: [(String, [UInt8], Int)] = [
            ("UNICODE UTF-8", Self.latin1, 1),  // lone 0xDC
            ("", Self.latin1, 1),  // default UTF-8
            ("ASCII", Self.utf8, 1),
            ("UNICODE UTF-8", [0x41, 0xC0, 0x80], 1),  // overlong NUL
            ("UNICODE UTF-8", [0x41, 0xED, 0xA0, 0x80], 1),  // surrogate
            ("UNICODE UTF-8", [0x41, 0xE2, 0x82], 1),  // truncated sequence
        ]
        for (charset, name, offsetInName) in cases {
            let bytes = Self.message(charset: charset, name: name)
            do {
                _ = try HL7Message(parsing: bytes)
                Issue.record("accepted \(charset)")
            } catch {
                #expect(error.code == .encodingError)
                #expect(error.segmentID == "PID" && error.segmentIndex == 2 && error.field == 5)
                #expect(error.byteOffset == bytes.count - 3 - name.count + offsetInName)
            }
        }
    }

    @Test func unsupportedSetsAreEncodingErrorsUnlessOverridden() throws {
        for name in ["ISO IR87", "8859/2", "UNICODE UTF-16", "GB 18030-2000", "KLINGON"] {
            let bytes = Self.message(charset: name, name: Array("X".utf8))
            do {
                _ = try HL7Message(parsing: bytes)
                Issue.record("accepted \(name)")
            } catch {
                #expect(error.code == .encodingError && error.field == 18)
            }
            let forced = try HL7Message(parsing: bytes, options: HL7ParseOptions(charsetOverride: .iso8859_1))
            #expect(forced.charset == .iso8859_1)
        }
    }

    @Test func windows1252IsAvailableAsAnOverride() throws {
        // python-hl7 test_non_ascii_bytestring: b'...ELAB\x963' decoded as cp1252 gives 'ELAB\u20133', and
        // without an encoding it raises (here: encoding_error under the UTF-8 default).
        let bytes = try HL7Fixtures.bytes("edge/synthetic/cp1252_from_python-hl7_test_parse.hl7")
        #expect(throws: HL7ParseError.self) { try HL7Message(parsing: bytes) }
        let message = try HL7Message(parsing: bytes, options: HL7ParseOptions(defaultCharset: .windows1252))
        #expect(message.segment(at: 0).string(4) == "ELAB\u{2013}3")
    }

    @Test func hexEscapesDecodeInTheMessageCharset() throws {
        func value(_ charset: String, _ escaped: String) throws -> String? {
            let text = "MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|2.5||||||\(charset)\rOBX|1|ST|X||\(escaped)\r"
            return try HL7Message(parsing: text).segment(at: 1).string(5)
        }
        #expect(try value("UNICODE UTF-8", "caf\\XC3A9\\") == "café")  // a whole UTF-8 sequence
        #expect(try value("8859/1", "caf\\XE9\\") == "café")
        // A Latin-1 byte escaped in a UTF-8 message is not valid UTF-8: read as Latin-1 (python-hl7 does
        // the same for "\Xe1\"), never a crash or a replacement character.
        #expect(try value("UNICODE UTF-8", "caf\\XE9\\") == "café")
        #expect(try value("", "\\Xe1\\\\Xe9\\\\Xed\\\\Xf3\\\\Xfa\\") == "áéíóú")
    }

    @Test func mapsTableValuesAndAliases() {
        #expect(HL7Charset(hl7Name: "8859/1") == .iso8859_1)
        #expect(HL7Charset(hl7Name: " unicode utf-8 ") == .utf8)
        #expect(HL7Charset(hl7Name: "ISO IR6") == .ascii)
        #expect(HL7Charset(hl7Name: "ISO IR100") == .iso8859_1)
        #expect(HL7Charset(hl7Name: "8859/15") == nil)
        for charset in HL7Charset.allCases { #expect(HL7Charset(hl7Name: charset.hl7Name) == charset) }
    }
}
