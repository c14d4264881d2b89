import Testing
import VigilHL7

/// Values from the valid-but-unusual edge files. Where the file comes from a library's test suite, the
/// expectation is that test's assertion (named in the comment); otherwise it is read from the file by eye,
/// with the HL7 rule that turns the bytes into the value.
@Suite struct EdgeValueTests {
    static func message(_ path: String, _ options: HL7ParseOptions = HL7ParseOptions()) throws -> HL7Message {
        try HL7Message(parsing: try HL7Fixtures.bytes("edge/" + path), options: options)
    }

    @Test func pythonHL7RepetitionsComponentsSubcomponents() throws {
        // python-hl7 test_extract / test_repetition / test_subcomponent on rep_sample_hl7.
        let message = try Self.message("python-hl7/rep_sample_hl7.hl7")
        let pid = try #require(message.firstSegment("PID"))
        #expect(pid.string(3, 2, 2) == "Sub-Component2")  // PID.3.1.2.2
        #expect(pid.string(1) == "Field1")  // PID.1, PID.1.1, PID.1.1.1.1
        #expect(pid.field(1).component(1).subcomponent(1).string == "Field1")
        #expect(pid.string(3, 2) == "Sub-Component1")  // PID.3.1.2
        #expect(pid.string(3, 3) == "Component3")  // PID.3.1.3
        #expect(pid.value(3, 4) == .absent)  // PID.3.1.4 is ''
        #expect(pid.value(3, 2, 3) == .absent)  // PID.3.1.2.3 is ''
        #expect(message.header.segment.value(20) == .absent)  // MSH.20 is ''
        #expect(pid.field(4).repetitions.map(\.string) == ["Repeat1", "Repeat2"])
        #expect(pid.field(3).component(2).subcomponents.map(\.string) == ["Sub-Component1", "Sub-Component2"])
        #expect(pid.string(2, 2) == "Component2")
    }

    @Test func pythonHL7NullsInSampleMsh() throws {
        // sample_msh: PV1-9 and PV1-45 are "" (explicit nulls); IN1-5.2 too; IN1-14 is 25892261^""^"".
        let message = try Self.message("python-hl7/sample_msh.hl7")
        let pv1 = try #require(message.pv1)
        #expect(pv1.segment.value(9) == .null)
        #expect(pv1.segment.value(45) == .null)
        #expect(pv1.dischargeDateTime == nil)
        #expect(pv1.segment.value(11) == .absent)
        #expect(pv1.segment.string(5) == " 863968")  // leading space kept
        let in1 = message.segments("IN1")
        #expect(in1.count == 3)
        #expect(in1[0].value(5, 2) == .null && in1[0].value(5, 3) == .value("NEW YORK"))
        #expect(in1[0].value(14, 1) == .value("25892261") && in1[0].value(14, 2) == .null)
        #expect(in1[1].value(3) == .null)
        // PID-4 repetitions, the second with a trailing space ("DONOR ").
        #expect(message.pid?.segment.field(4).repetitions.map { $0.component(5).string } == ["REFE", "DONOR ", nil])
    }

    @Test func escapeSequencesFile() throws {
        // synthetic/escape_sequences.hl7, decoded by the rules in HL7Escaping: \.br\ newline, \F\ \S\ \T\ \R\ \E\
        // the delimiters, \H\ \N\ dropped, \X0D0A\ CR LF, \XE9\ (not UTF-8 alone; no MSH-18) read as Latin-1 é,
        // local \Zxyz\ kept as written.
        let message = try Self.message("synthetic/escape_sequences.hl7")
        let obx = message.obx
        #expect(
            obx[0].value.string
                == "Line1\nLine2 pipe| caret^ amp& tilde~ esc\\ bold hex\r\n latin\u{E9} local\\Zxyz\\")
        #expect(obx[0].value.encoded.hasPrefix("Line1\\.br\\Line2"))  // raw as sent
        #expect(obx[1].value.string == "37.5\\C")
        // NTE-3: \.sp2\ and \.ce\ break the line; \.in+4\ \.ti-2\ \.fi\ \.nf\ are dropped.
        #expect(message.nte.first?.comments == ["\nindentcentre\ntextdone"])
        // PID-5 repeats: DOE^JANE^Q^^DR and SMITH^JANE^^^^^M.
        #expect(message.pid?.names.map(\.familyName) == ["DOE", "SMITH"])
        #expect(message.pid?.names[0].prefix == "DR")
    }

    @Test func highlightingIsDropped() throws {
        // hl7apy test_to_string msh_highlighted: MSH-8 \H\HIGHLIGHTED\N\TEXT\H\IMPORTANT\N\; hl7apy's
        // test_ST_highlights encodes "HIGHLIGHTEDTEXTIMPORTANT" with highlights the same way.
        let message = try Self.message("hl7apy/test_to_string__setUp__3.hl7")
        #expect(message.header.segment.string(8) == "HIGHLIGHTEDTEXTIMPORTANT")
        #expect(message.header.messageType == "RSP^SLI^RSP_K11")
    }

    @Test func truncationCharacter() throws {
        let message = try Self.message("synthetic/truncation_char_v27.hl7")
        #expect(message.delimiters.truncation == UInt8(ascii: "#"))
        #expect(message.header.version == "2.7")
        #expect(message.obx.first?.value.string == "ABCDEFG#")
        // hl7apy's rsp_k21_27 (MSH-2 ^~\&#): PID-3.4.2 1.3.6.1.4.1.21367.2011.2.5.17, PID-5 JOHN^SMITH.
        let hl7apy = try Self.message("hl7apy/test_parser__setUp__3.hl7")
        #expect(hl7apy.pid?.identifiers.first?.assigningAuthority.universalID == "1.3.6.1.4.1.21367.2011.2.5.17")
        #expect(hl7apy.pid?.names.first?.familyName == "JOHN")
        #expect(hl7apy.msa?.controlID == "26775702551812240")
    }

    @Test func declaredLatin1WithSubcomponents() throws {
        // hapi/cv.04_001_chem.hl7: MSH-18 8859/1, v2.3.1; PID-3 1011848460^^^^JHN^^^^ON&ONTARIO&HL70347.
        let message = try Self.message("hapi/cv.04_001_chem.hl7")
        #expect(message.charset == .iso8859_1)
        #expect(message.header.messageType == "ERP^Z99^ERP_R09")
        let pid = try #require(message.pid)
        #expect(pid.identifiers.first?.id == "1011848460" && pid.identifiers.first?.identifierTypeCode == "JHN")
        #expect(pid.string(3, 9, 2) == "ONTARIO")
        #expect(pid.names.first?.familyName == "WXSSXY" && pid.names.first?.givenName == "MARIE")
        #expect(pid.addresses.map(\.city) == ["OSHAWA", "Toronto"])
        #expect(pid.homePhones.map(\.useCode) == ["PRN", "ORN", "NET"])
        #expect(pid.homePhones[2].communicationAddress == "email@address.com")
        #expect(message.msa?.acknowledgmentCode == "AA" && message.msa?.controlID == "212137")
        // ERQ-3 has 17 repetitions ("@PID.3.1^1011848460~...~@ORC.4.4^ISO").
        #expect(message.firstSegment("ERQ")?.field(3).repetitions.count == 17)
    }

    @Test func utf8AndLatin1Files() throws {
        // utf8_unicode_8.hl7: PID-5 is E5 BC A0 ^ E4 BC 9F (张^伟), PID-8 M~C3 A9 C3 A8 (M, éè).
        let utf8 = try Self.message("synthetic/utf8_unicode_8.hl7")
        #expect(utf8.pid?.names.first?.familyName == "张" && utf8.pid?.names.first?.givenName == "伟")
        #expect(utf8.pid?.segment.field(8).repetitions.map(\.string) == ["M", "éè"])
        // latin1_8859-1.hl7: PID-5 is M DC LLER ^ J D6 RG. Its "8859/1" is in MSH-19, so by default the bytes
        // are invalid UTF-8; read as ISO-8859-1 (by option), DC is Ü and D6 is Ö.
        #expect(throws: HL7ParseError.self) { try Self.message("synthetic/latin1_8859-1.hl7") }
        for options in [HL7ParseOptions(defaultCharset: .iso8859_1), HL7ParseOptions(charsetOverride: .iso8859_1)] {
            let latin1 = try Self.message("synthetic/latin1_8859-1.hl7", options)
            #expect(latin1.pid?.names.first?.familyName == "MÜLLER" && latin1.pid?.names.first?.givenName == "JÖRG")
        }
    }

    @Test func repetitionsInHapiAndNhapiOrders() throws {
        // hapi/omd_o03_rep.txt: PID-3 CIPNUM^^^CAEX^CIP^^^^EX&&ES-EX~CIPTWO, PID-32 A~B.
        let rep = try Self.message("hapi/omd_o03_rep.txt")
        let pid = try #require(rep.pid)
        #expect(pid.identifiers.map(\.id) == ["CIPNUM", "CIPTWO"])
        #expect(pid.string(3, 9, 3) == "ES-EX" && pid.value(3, 9, 2) == .absent)
        #expect(pid.field(32).repetitions.map(\.string) == ["A", "B"])
        #expect(rep.pv1?.assignedLocation.bed == "51C302-1" && rep.pv1?.assignedLocation.room == nil)
        #expect(rep.segments("ODS").count == 4)
        // nhapi/Parser/omd_o03.txt is the same message without the repetitions.
        let single = try Self.message("nhapi/Parser/omd_o03.txt")
        #expect(single.pid?.identifiers.map(\.id) == ["CIPNUM"])
        #expect(single.segmentIDs == rep.segmentIDs)
    }

    @Test func lineFeedsAndTrailingDelimiters() throws {
        let lf = try Self.message("synthetic/line_endings_LF.hl7")
        let cr = try HL7Message(
            parsing: try HL7Fixtures.bytes("edge/synthetic/line_endings_LF.hl7").map { $0 == 0x0A ? 0x0D : $0 })
        #expect(lf.segments.map(\.encoded) == cr.segments.map(\.encoded))
        #expect(lf.obx.first?.value.string == "4.2" && lf.obx.first?.resultStatus == "F")

        // trailing_delimiters.hl7: MSH ends in nine empty fields, PID-12 is ^^^~~~, OBR-10 ^^^&&&.
        let trailing = try Self.message("synthetic/trailing_delimiters.hl7")
        #expect(trailing.header.segment.fieldCount == 21)
        let pid12 = try #require(trailing.pid).segment.field(12)
        #expect(pid12.repetitions.count == 4 && pid12.components.count == 4)
        #expect(pid12.repetitions.allSatisfy { $0.value == .absent || $0.encoded == "^^^" })
        let obr10 = try #require(trailing.obr.first).segment.field(10)
        #expect(obr10.component(4).subcomponents.count == 4)
        #expect(trailing.obx.first?.segment.fieldCount == 15)
    }

    @Test func longFieldAndMissingHeaderFields() throws {
        // long_field_64k.hl7: OBX-5 is ^TEXT^^Base64^<data>; compare with a naive split of the same bytes.
        let bytes = try HL7Fixtures.bytes("edge/synthetic/long_field_64k.hl7")
        let message = try HL7Message(parsing: bytes)
        let obxLine = try #require(bytes.split(separator: 0x0D).first { $0.starts(with: Array("OBX".utf8)) })
        let naive = obxLine.split(separator: UInt8(ascii: "|"), omittingEmptySubsequences: false)[5]
            .split(separator: UInt8(ascii: "^"), omittingEmptySubsequences: false)[4]
        let data = try #require(message.obx.first?.value.component(5).string)
        #expect(data.utf8.count == naive.count && data.utf8.count > 60_000)
        #expect(message.obx.first?.value.component(4).string == "Base64")

        // missing_msh_fields.hl7: MSH|^~\& and nothing else; the message parses, the header is empty.
        let bare = try Self.message("synthetic/missing_msh_fields.hl7")
        #expect(bare.header.controlID == nil && bare.header.version == nil && bare.header.messageType == "")
        #expect(bare.segmentIDs == ["MSH", "PID", "OBX"])
    }

    @Test func hl7apyOddHeadersParse() throws {
        // hl7apy parses these without complaint at its default validation level.
        #expect(
            try Self.message("hl7apy/test_parser__test_parse_message_incomplete_structure__1.hl7")
                .header.messageCode == "ADT")
        #expect(
            try Self.message("hl7apy/test_parser__test_parse_message_incomplete_structure__1.hl7")
                .header.triggerEvent == nil)
        #expect(try Self.message("hl7apy/test_parser__test_parse_message_missing_version__1.hl7").header.version == nil)
        #expect(
            try Self.message("hl7apy/test_parser__test_parse_unknown_message_strict__2.hl7").header.messageType == "")
        #expect(try Self.message("hl7apy/test_parser__test_get_message_type__1.hl7").header.messageType == "{}")
    }
}
