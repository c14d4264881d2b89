import Foundation
import VigilHL7

/// libFuzzer entry point (built by `make fuzz` with -sanitize=fuzzer -DFUZZING): every parser path a
/// hostile sender can reach — single message, batch split, MLLP deframing, accessors, escapes, ACKs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    exercise(Array(UnsafeBufferPointer(start: data, count: size)))
    return 0
}

func exercise(_ bytes: [UInt8]) {
    if let message = try? HL7Message(parsing: bytes) {
        for segment in message.segments {
            for field in 0...segment.fieldCount {
                let element = segment.field(field)
                for repetition in element.repetitions {
                    for component in repetition.components {
                        _ = component.string
                        for sub in component.subcomponents { _ = sub.value }
                    }
                }
                _ = element.dateTime
            }
        }
        _ = message.pid?.identifiers
        _ = message.obx.map { ($0.values, $0.units, $0.observationDateTime) }
        _ = HL7Ack.build(replyingTo: message.header, code: .applicationAccept, controlID: "F")
    }
    _ = HL7Ack.build(replyingTo: bytes, code: .applicationReject, controlID: "F")
    if let batch = try? HL7Batch(parsing: bytes) { _ = batch.messages.count }
    var decoder = MLLPDecoder(configuration: .init(maxFrameBytes: 4096))
    decoder.append(bytes)
    while decoder.next() != nil {}
    _ = decoder.finish()
}

#if FUZZING
    // SwiftPM links executables with `main` renamed to `<module>_main`; hand that entry to libFuzzer's driver.
    @_silgen_name("LLVMFuzzerRunDriver")
    func runDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
        _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
    ) -> CInt

    @_cdecl("vigil_hl7_fuzz_main")
    func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
        var count = argc
        var arguments: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = argv
        return runDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
    }
#else
    /// Without libFuzzer: replays files (a corpus or crash reproducers) through the same code.
    @main
    struct Replay {
        static func main() throws {
            var count = 0
            for path in CommandLine.arguments.dropFirst() {
                var isDirectory: ObjCBool = false
                _ = FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory)
                let files =
                    isDirectory.boolValue
                    ? try FileManager.default.contentsOfDirectory(atPath: path).map { "\(path)/\($0)" } : [path]
                for file in files {
                    exercise(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
                    count += 1
                }
            }
            print("replayed \(count) inputs without a crash")
        }
    }
#endif
