import ArgumentParser
import Foundation
import Ingestion
import VigilRuntime

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

        @Option(help: "A local code map (TSV) applied over the built-in one, as VIGIL_HL7_CODE_MAP.") var codeMap: String?

        func run() throws {
            var environment: [String: String] = [:]
            if let codeMap { environment["VIGIL_HL7_CODE_MAP"] = codeMap }
            let mapper: HL7Mapper
            do {
                mapper = HL7Mapper(configuration: try .from(EnvironmentReader(environment)))
            } catch {
                FileHandle.standardError.write(Data("vigil hl7 inspect: \(error)\n".utf8))
                throw ExitCode(78)  // EX_CONFIG
            }
            var status: Int32 = HL7Inspection.exitSuccess
            for path in files {
                guard let data = FileManager.default.contents(atPath: path) else {
                    FileHandle.standardError.write(Data("vigil hl7 inspect: cannot read \(path)\n".utf8))
                    status = 66  // EX_NOINPUT
                    continue
                }
                let report = HL7Inspection.report(bytes: Array(data), mapper: mapper, sourceSystem: sourceSystem)
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
