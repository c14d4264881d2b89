import Foundation
import Testing
import VigilHL7

/// Every file in edge/ parses or fails with a defined error; none crashes or hangs. The expected outcome of
/// each file is written down with the reason (the upstream test's expectation where there is one).
@Suite(.timeLimit(.minutes(1))) struct EdgeCorpusTests {
    enum Outcome: Sendable, Equatable {
        /// One message; `HL7Message(parsing:)` accepts it.
        case message
        /// A batch, MLLP capture or back-to-back messages: `HL7Batch` yields this many, a single parse fails.
        case batch(Int)
        /// Both parsers fail with this code.
        case error(HL7ParseError.Code)
    }

    static let nhapiBad = "nhapi/BadInputs/"
    static let expected: [String: Outcome] = [
        "hapi/cv.04_001_chem.hl7": .message,
        "hapi/guide.txt": .error(.parseError),  // HAPI's message-structure guide, not ER7
        "hapi/omd_o03_rep.txt": .message,
        "hl7apy/test_core___get_fail_test_msg__1.hl7": .message,
        "hl7apy/test_core___get_test_msg_2__1.hl7": .message,
        "hl7apy/test_core__test_assign_value_traversal__1.hl7": .error(.parseError),  // empty MSH-2
        "hl7apy/test_parser__setUp__1.hl7": .message,
        "hl7apy/test_parser__setUp__3.hl7": .message,  // v2.7 truncation character
        "hl7apy/test_parser__test_get_message_type__1.hl7": .message,
        // hl7apy expects InvalidEncodingChars for these three.
        "hl7apy/test_parser__test_parse_message_duplicate_encoding_chars__2.hl7": .error(.parseError),
        "hl7apy/test_parser__test_parse_message_missing_encoding_chars_zero__1.hl7": .error(.parseError),
        "hl7apy/test_parser__test_parse_message_too_many_encoding_chars__2.hl7": .error(.parseError),
        // hl7apy parses these (it only objects under STRICT validation).
        "hl7apy/test_parser__test_parse_message_incomplete_structure__1.hl7": .message,
        "hl7apy/test_parser__test_parse_message_missing_version__1.hl7": .message,
        "hl7apy/test_parser__test_parse_unknown_message_strict__2.hl7": .message,
        "hl7apy/test_to_string___get_test_msg__1.hl7": .message,
        "hl7apy/test_to_string__setUp__1.hl7": .message,
        "hl7apy/test_to_string__setUp__3.hl7": .message,
        "hl7apy/test_validation__setUp__1.hl7": .message,
        "hl7apy/test_validation__setUp__3.hl7": .message,
        // nHapi's fuzzer finds: nHapi expects an exception from all but the NoException ones; we reject those
        // too (MSH-2 with a control character, digits or letters; segment ids like "000" and "\u{10}\0").
        nhapiBad + "LegacyPipeParser/EncodingNotSupportedException/aoor1": .error(.parseError),  // empty
        nhapiBad + "LegacyPipeParser/HL7Exception/hang1": .error(.parseError),
        nhapiBad + "LegacyPipeParser/HL7Exception/stackoverflow1": .error(.parseError),
        nhapiBad + "LegacyPipeParser/HL7Exception/sys1": .error(.parseError),
        nhapiBad + "LegacyPipeParser/NoException/regex1": .error(.parseError),
        nhapiBad + "PipeParser/EncodingNotSupportedException/id_000213,sig_02,src_001353+000130,op_splice,rep_8":
            .error(.parseError),  // a byte before MSH
        nhapiBad + "PipeParser/HL7Exception/id_000029,sig_02,src_000167+001027,op_splice,rep_8": .error(.parseError),
        nhapiBad + "PipeParser/HL7Exception/id_000055,sig_02,src_000959+000226,op_splice,rep_16": .error(.parseError),
        nhapiBad + "PipeParser/HL7Exception/id_000087,sig_02,src_000967+001832,op_splice,rep_2": .error(.parseError),
        nhapiBad + "PipeParser/HL7Exception/id_000099,sig_02,src_004226+004602,op_splice,rep_4": .error(.parseError),
        nhapiBad + "PipeParser/HL7Exception/id_000119,sig_02,src_001911,op_havoc,rep_64": .error(.parseError),
        nhapiBad + "PipeParser/HL7Exception/id_000125,sig_02,src_004230+004691,op_splice,rep_16": .error(.parseError),
        nhapiBad + "PipeParser/HL7Exception/id_000151,sig_02,src_001351,op_havoc,rep_2": .error(.parseError),
        nhapiBad + "PipeParser/HL7Exception/id_000172,sig_02,src_001146+002011,op_splice,rep_16": .error(.parseError),
        nhapiBad + "PipeParser/HL7Exception/id_000205,sig_02,src_001449,op_havoc,rep_2": .error(.parseError),
        nhapiBad + "PipeParser/HL7Exception/so2": .error(.parseError),
        nhapiBad + "PipeParser/HL7Exception/so4": .error(.parseError),
        nhapiBad + "PipeParser/NoException/id_000109,sig_02,src_001098+002192,op_splice,rep_4": .error(.parseError),
        nhapiBad + "PipeParser/NoException/id_000168,sig_02,src_002426+002144,op_splice,rep_8": .error(.parseError),
        "nhapi/Parser/OML_O21_messages.txt": .batch(7),
        "nhapi/Parser/adt_a17.xml": .error(.unsupportedMessage),  // the XML encoding
        "nhapi/Parser/ed_issue.xml": .error(.unsupportedMessage),
        "nhapi/Parser/get_ack_id.xml": .error(.unsupportedMessage),
        "nhapi/Parser/parse_and_encode_with_ns.xml": .error(.unsupportedMessage),
        "nhapi/Parser/omd_o03.txt": .message,
        "nhapi/Parser/uuencoded_unescaped.txt": .error(.parseError),  // a uuencoded file, no MSH
        "python-hl7/rep_sample_hl7.hl7": .message,
        // python-hl7's test_parse_bad_* expect ParseException.
        "python-hl7/sample_bad_batch1.hl7": .error(.parseError),
        "python-hl7/sample_bad_file1.hl7": .error(.parseError),
        "python-hl7/sample_bad_file3.hl7": .error(.parseError),
        "python-hl7/sample_batch1.hl7": .batch(2),
        "python-hl7/sample_batch3.hl7": .batch(1),
        "python-hl7/sample_file.hl7": .batch(1),
        "python-hl7/sample_file2.hl7": .batch(2),
        "python-hl7/sample_file4.hl7": .batch(1),
        "python-hl7/sample_file6.hl7": .batch(1),
        "python-hl7/sample_msh.hl7": .message,
        // python-hl7 raises UnicodeDecodeError without an explicit cp1252 encoding; so do we (UTF-8 default).
        "synthetic/cp1252_from_python-hl7_test_parse.hl7": .error(.encodingError),
        "synthetic/empty_file.hl7": .error(.parseError),
        "synthetic/escape_sequences.hl7": .message,
        // Its "8859/1" sits in MSH-19, not MSH-18, so MSH-18 is empty and the UTF-8 default applies.
        "synthetic/latin1_8859-1.hl7": .error(.encodingError),
        "synthetic/line_endings_LF.hl7": .message,
        "synthetic/long_field_64k.hl7": .message,
        "synthetic/missing_msh_fields.hl7": .message,
        "synthetic/mllp_two_frames.bin": .batch(2),
        "synthetic/nul_and_control_bytes.hl7": .error(.encodingError),  // NUL in PID-5
        "synthetic/obx5_numeric_edge_values.hl7": .message,
        "synthetic/trailing_delimiters.hl7": .message,
        "synthetic/truncation_char_v27.hl7": .message,
        "synthetic/utf8_unicode_8.hl7": .message,
    ]

    static let files: [String] = HL7Fixtures.edgeFiles

    @Test func everyFileHasAnExpectedOutcome() {
        let onDisk = Set(Self.files.map { String($0.dropFirst("edge/".count)) })
        #expect(onDisk == Set(Self.expected.keys))
        let manifest = Set(HL7Fixtures.manifest("edge/MANIFEST.tsv").compactMap { $0["file"] })
        #expect(manifest == onDisk)
    }

    @Test(arguments: files)
    func parsesOrFailsWithADefinedError(_ path: String) throws {
        let bytes = try HL7Fixtures.bytes(path)
        let name = String(path.dropFirst("edge/".count))
        let expected = try #require(Self.expected[name])
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            switch expected {
            case .message:
                let message = try HL7Message(parsing: bytes)
                Self.readEverything(message)
                #expect(try HL7Batch(parsing: bytes).requireAll().count == 1)
            case .batch(let count):
                let messages = try HL7Batch(parsing: bytes).requireAll()
                #expect(messages.count == count)
                messages.forEach(Self.readEverything)
                #expect(throws: HL7ParseError.self) { try HL7Message(parsing: bytes) }
            case .error(let code):
                #expect(Self.singleError(bytes)?.code == code)
                #expect(Self.batchError(bytes)?.code == code)
            }
            // Whatever the bytes, we can still answer the sender.
            let ack = HL7Ack.build(replyingTo: bytes, code: .applicationReject, controlID: "T")
            #expect(try HL7Message(parsing: ack).msa?.acknowledgmentCode == "AR")
            var decoder = MLLPDecoder()
            decoder.append(bytes)
            while decoder.next() != nil {}
        }
        #expect(elapsed < .seconds(2))
    }

    /// Cross-check with the manifest (computed by the fixture import, not by this parser): the number of
    /// MSH segments and the encoding characters of the files that parse.
    @Test func parsedFilesAgreeWithTheManifest() throws {
        for row in HL7Fixtures.manifest("edge/MANIFEST.tsv") {
            guard let name = row["file"], let outcome = Self.expected[name] else { continue }
            let count: Int
            switch outcome {
            case .message: count = 1
            case .batch(let n): count = n
            case .error: continue
            }
            let messages = try HL7Batch(parsing: try HL7Fixtures.bytes("edge/" + name)).requireAll()
            #expect(Int(row["n_MSH"] ?? "") == count, "\(name)")
            // The manifest shows the bytes after "MSH" with Python escapes, up to a fixed length.
            let shown = Self.unescapePython(row["MSH_encoding_chars"] ?? "")
            let d = messages[0].delimiters
            let declared = [d.field] + d.encodingCharacters
            #expect(shown.starts(with: declared), "\(name)")
            #expect(shown.count == declared.count || [0x0D, 0x0A].contains(shown[declared.count]), "\(name)")
        }
    }

    static func unescapePython(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "\\"), let next = bytes.popFirst() else {
                out.append(byte)
                continue
            }
            switch next {
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "x"):
                out.append(UInt8(String(decoding: bytes.prefix(2), as: UTF8.self), radix: 16) ?? 0)
                bytes = bytes.dropFirst(2)
            default: out.append(next)
            }
        }
        return out
    }

    static func singleError(_ bytes: [UInt8]) -> HL7ParseError? {
        do {
            _ = try HL7Message(parsing: bytes)
            return nil
        } catch { return error }
    }

    static func batchError(_ bytes: [UInt8]) -> HL7ParseError? {
        do {
            return try HL7Batch(parsing: bytes).errors.first
        } catch { return error }
    }

    /// Decodes every field, repetition, component and sub-component.
    static func readEverything(_ message: HL7Message) {
        for segment in message.segments {
            for number in 0...(segment.fieldCount + 1) {
                for repetition in segment.field(number).repetitions {
                    _ = repetition.value
                    for component in repetition.components {
                        for sub in component.subcomponents { _ = sub.value }
                    }
                }
            }
        }
    }
}
