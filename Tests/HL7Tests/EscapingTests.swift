import Testing
import VigilHL7

/// Escape sequences are decoded on access, with the message's own delimiters.
@Suite struct EscapingTests {
    static func value(_ field: String, header: String = "MSH|^~\\&|A|B|C|D|20240101||ORU^R01|1|P|2.5") throws -> String?
    {
        let fs = String(header.dropFirst(3).prefix(1))
        let obx = ["OBX", "1", "FT", "X", "", field].joined(separator: fs)
        return try HL7Message(parsing: header + "\r" + obx + "\r").segment(at: 1).field(5).string
    }

    @Test(arguments: [
        // Delimiter escapes, as python-hl7 test_unescape expects.
        ("\\E\\", "\\"), ("\\F\\", "|"), ("\\S\\", "^"), ("\\T\\", "&"), ("\\R\\", "~"),
        // Highlighting dropped, text kept (hl7apy test_ST_highlights is the inverse).
        ("\\H\\HIGHLIGHTED\\N\\TEXT\\H\\IMPORTANT\\N\\", "HIGHLIGHTEDTEXTIMPORTANT"),
        // Hex bytes (python-hl7 test_unescape: "\X20202020\" is four spaces).
        ("\\X20202020\\", "    "), ("\\X0D0A\\", "\r\n"),
        // Formatting commands: line breaks kept, indents and fill mode dropped.
        ("a\\.br\\b", "a\nb"), ("a\\.sp\\b", "a\nb"), ("a\\.sp2\\b", "a\nb"), ("a\\.ce\\b", "a\nb"),
        ("a\\.in+4\\b\\.ti-2\\c", "abc"), ("a\\.fi\\b\\.nf\\c", "abc"), ("a\\.sk3\\b", "a b"),
        // Character-set switches are dropped (ISO 2022 is not supported), text kept.
        ("x\\C2842\\y\\M2442\\z", "xyz"),
        // Kept as written: local, unknown, malformed, unterminated.
        ("\\Zxyz\\", "\\Zxyz\\"), ("\\Q\\", "\\Q\\"), ("\\X0\\", "\\X0\\"), ("\\XZZ\\", "\\XZZ\\"),
        ("\\.br7\\", "\\.br7\\"), ("\\.zz\\", "\\.zz\\"), ("a\\", "a\\"), ("a\\Fb", "a\\Fb"), ("\\\\", "\\\\"),
        ("\\L\\", "\\L\\"),  // no truncation character declared
    ])
    func decodes(_ escaped: String, _ expected: String) throws {
        #expect(try Self.value(escaped) == expected)
    }

    @Test func usesTheMessagesOwnDelimiters() throws {
        let header = "MSH!$*?@!A!B!C!D!20240101!!ORU$R01!1!P!2.5"
        #expect(try Self.value("?F??S??T??R??E?", header: header) == "!$@*?")
        #expect(try Self.value("\\F\\", header: header) == "\\F\\")  // backslash is plain text here
        let v27 = "MSH|^~\\&#|A|B|C|D|20240101||ORU^R01|1|P|2.7"
        #expect(try Self.value("cut\\L\\", header: v27) == "cut#")
    }

    @Test func decodesOnlyWhenRead() throws {
        let message = try HL7Message(parsing: "MSH|^~\\&|A\rOBX|1|ST|X||a\\S\\b^c\r")
        let field = message.segment(at: 1).field(5)
        #expect(field.encoded == "a\\S\\b^c")  // as sent
        #expect(field.component(1).string == "a^b")
        #expect(field.component(2).string == "c")
        #expect(field.components.count == 2)  // an escaped delimiter does not split
    }

    @Test func encodeEscapesDelimitersAndLineBreaks() {
        let d = HL7Delimiters.standard
        #expect(
            String(decoding: HL7Escaping.encode("a|b^c&d~e\\f", delimiters: d), as: UTF8.self)
                == "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f")
        #expect(
            String(decoding: HL7Escaping.encode("l1\r\nl2\nl3", delimiters: d), as: UTF8.self)
                == "l1\\.br\\l2\\.br\\l3")
        #expect(HL7Escaping.encode("asdf", delimiters: d) == Array("asdf".utf8))
    }

    @Test func encodeThenDecodeRoundTrips() throws {
        let text = "pipe| caret^ amp& tilde~ esc\\ line\nbreak é"
        let field = String(decoding: HL7Escaping.encode(text, delimiters: .standard), as: UTF8.self)
        #expect(try Self.value(field) == text)
    }
}
