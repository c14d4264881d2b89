import Foundation
import Testing
import VigilHL7

/// Inputs that once crashed or hung the parser (from `make fuzz`) stay here as regression tests.
@Suite struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fuzz/regressions")

    static var inputs: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
    }

    @Test(arguments: inputs)
    func reproducerNoLongerCrashes(name: String) throws {
        let bytes = Array(try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        _ = try? HL7Message(parsing: bytes)
        _ = try? HL7Batch(parsing: bytes)
        var decoder = MLLPDecoder(configuration: .init(maxFrameBytes: 4096))
        decoder.append(bytes)
        while decoder.next() != nil {}
        _ = HL7Ack.build(replyingTo: bytes, code: .applicationReject, controlID: "R")
    }
}
