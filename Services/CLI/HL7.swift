import ArgumentParser
import Foundation
import Ingestion

struct HL7: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hl7", abstract: "Tools for HL7 v2 interface analysts.", subcommands: [Inspect.self])

    struct Inspect: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print, one JSON line per message, the canonical events it yields and its mapping coverage, "
                + "or the rejection reason with its position.",
            discussion: """
                Files may hold one message, several back to back, a batch (FHS/BHS) or captured MLLP frames.
                Exit status: 0 when every message is valid, 65 when any is rejected, 66 when a file cannot be read.
                The output contains the messages' PHI: keep it inside the PHI zone.
                """)

        @Argument(help: "HL7 v2 files to inspect.") var files: [String]

        @Option(help: "Source system for messages without MSH-3/MSH-4.") var sourceSystem: String?

        func run() throws {
            var status: Int32 = HL7Inspection.exitSuccess
            for path in files {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("vigil hl7 inspect: cannot read \(path)\n".utf8))
                    status = 66  // EX_NOINPUT
                    continue
                }
                let report = HL7Inspection.report(bytes: Array(data), sourceSystem: sourceSystem)
                for line in report.lines {
                    print(#"{"file":\#(Self.jsonString(path)),"# + line.dropFirst())
                }
                if report.exitStatus != HL7Inspection.exitSuccess, status == HL7Inspection.exitSuccess {
                    status = report.exitStatus
                }
            }
            if status != 0 { throw ExitCode(status) }
        }

        static func jsonString(_ text: String) -> String {
            let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self).dropFirst().dropLast().description
        }
    }
}
