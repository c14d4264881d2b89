import Foundation
import Testing

/// `vigil hl7 inspect FILE…` as an analyst runs it: one JSON line per message, exit 0 when all are valid,
/// 65 when any is rejected, never a crash whatever the bytes.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: ServiceProcess.binaries.appendingPathComponent("vigil").path), "needs a build"))
struct HL7InspectCommandTests {
    static let vigil = ServiceProcess.binaries.appendingPathComponent("vigil")
    static let fixtures = ServiceProcess.root.appendingPathComponent("Tests/Fixtures/hl7v2")

    struct Run {
        var status: Int32
        var lines: [[String: Any]]
        var stderr: String
    }

    static func inspect(_ paths: [String]) throws -> Run {
        let process = Process()
        process.executableURL = vigil
        process.arguments = ["hl7", "inspect"] + paths
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n").map {
            (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? ["unparsable": String($0)]
        }
        return Run(status: process.terminationStatus, lines: lines, stderr: String(decoding: errors, as: UTF8.self))
    }

    static func files(_ folder: String) throws -> [String] {
        let root = fixtures.appendingPathComponent(folder)
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        var paths: [String] = []
        while let url = walker?.nextObject() as? URL {
            if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                !["LICENSE", "SOURCE.txt", "MANIFEST.tsv"].contains(url.lastPathComponent)
            {
                paths.append(url.path)
            }
        }
        return paths.sorted()
    }

    @Test func theSampleCorpusIsValidAndExitsZero() throws {
        let samples = try Self.files("ms/samples")
        #expect(samples.count >= 100)
        let run = try Self.inspect(samples)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.lines.count >= samples.count, "at least one line per file")
        #expect(run.lines.allSatisfy { ["mapped", "ignored"].contains($0["status"] as? String) })
        // ORU and ADT samples yield events; every line says which file and message it is about.
        let mapped = run.lines.filter { $0["status"] as? String == "mapped" }
        #expect(!mapped.isEmpty)
        #expect(mapped.allSatisfy { !(($0["events"] as? [Any]) ?? []).isEmpty })
        #expect(run.lines.allSatisfy { $0["file"] is String && $0["message"] is Int })
    }

    @Test func edgeCasesNeverCrashAndRejectionsSayWhyAndWhere() throws {
        let edge = try Self.files("edge")
        #expect(edge.count >= 40)
        let run = try Self.inspect(edge)
        #expect(run.status == 65, "some edge cases are malformed: \(run.stderr)")
        #expect(!run.lines.contains { $0["unparsable"] != nil }, "every line is JSON")
        let rejected = run.lines.filter { $0["status"] as? String == "rejected" }
        #expect(!rejected.isEmpty)
        let reasons: Set<String> = ["parse_error", "unsupported_message", "validation_failed", "encoding_error", "too_large"]
        for line in rejected {
            #expect(reasons.contains(line["reason"] as? String ?? ""), "\(line)")
        }
        // Files known to be broken are rejected; a valid one alone exits 0.
        let bad = try Self.inspect([Self.fixtures.appendingPathComponent("edge/python-hl7/sample_bad_file1.hl7").path])
        #expect(bad.status == 65)
        let good = try Self.inspect([Self.fixtures.appendingPathComponent("edge/synthetic/escape_sequences.hl7").path])
        #expect(good.status == 0, "\(good.lines)")
    }

    @Test func anUnreadableFileIsNamedAndExits66() throws {
        let run = try Self.inspect(["/nonexistent/file.hl7"])
        #expect(run.status == 66)
        #expect(run.stderr.contains("/nonexistent/file.hl7"))
    }
}
