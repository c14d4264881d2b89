import Foundation
import Testing
import VigilHL7

/// The Microsoft FHIR-Converter samples against `ms/MANIFEST.tsv`, an oracle computed independently of this
/// parser (by the fixture import script): segment count, MSH-9, MSH-12, segment ids, byte-order mark.
@Suite struct SampleCorpusTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let file: String
        let segments: Int
        let messageType: String
        let version: String
        let hasBOM: Bool
        let segmentIDs: Set<String>
        var testDescription: String { file }
    }

    static let rows: [Row] = HL7Fixtures.manifest("ms/MANIFEST.tsv").map { row in
        Row(
            file: row["file"] ?? "", segments: Int(row["segments"] ?? "") ?? -1, messageType: row["MSH-9"] ?? "",
            version: row["MSH-12"] ?? "", hasBOM: row["utf8_bom"] == "True",
            segmentIDs: Set((row["segment_ids"] ?? "").split(separator: " ").map(String.init)))
    }

    @Test func manifestListsEverySample() {
        let onDisk = Set(HL7Fixtures.files(under: "ms/samples").map { ($0 as NSString).lastPathComponent })
        #expect(Self.rows.count >= 60)
        #expect(Set(Self.rows.map(\.file)) == onDisk)
    }

    @Test(arguments: rows)
    func sampleAgreesWithManifest(_ row: Row) throws {
        let bytes = try HL7Fixtures.bytes("ms/samples/\(row.file)")
        #expect(bytes.starts(with: [0xEF, 0xBB, 0xBF]) == row.hasBOM)
        let message = try HL7Message(parsing: bytes)
        #expect(message.segmentCount == row.segments)
        #expect(message.header.messageType == row.messageType)
        #expect(message.header.segment.field(12).encoded == row.version)
        #expect(Set(message.segmentIDs) == row.segmentIDs)
        #expect(message.bytes.first == UInt8(ascii: "M"))  // the byte-order mark is not part of the message
        // The same bytes as a batch of one.
        let batch = try HL7Batch(parsing: bytes)
        #expect(batch.messages.count == 1 && batch.errors.isEmpty && batch.envelope.isEmpty)
    }

    @Test func crTerminatedCopiesParseTheSame() throws {
        for row in Self.rows {
            let bytes = try HL7Fixtures.bytes("ms/samples/\(row.file)")
            let lf = try HL7Message(parsing: bytes)
            let cr = try HL7Message(parsing: bytes.map { $0 == 0x0A ? 0x0D : $0 })
            let crlf = try HL7Message(parsing: Array(bytes.split(separator: 0x0A).joined(separator: [0x0D, 0x0A])))
            for other in [cr, crlf] {
                #expect(other.segmentCount == lf.segmentCount, "\(row.file)")
                #expect(other.segments.map(\.encoded) == lf.segments.map(\.encoded), "\(row.file)")
            }
        }
    }
}
