import ArgumentParser
import Foundation
import Inference
import Ingestion
import VigilHL7
import VigilRuntime

/// `vigil replay`: sends sample files to a running `vigil-ingest` the way hospital systems would (HL7 v2 over
/// MLLP, FHIR JSON by HTTP POST) and counts the answers.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send HL7 v2 files over MLLP and FHIR JSON files by HTTP POST to vigil-ingest; count the answers.",
        discussion: """
            Directories are walked. *.json goes to the FHIR endpoint; every other file is split into HL7 messages
            (batches and MLLP captures included) and sent over MLLP. Exit 1 when anything got AE or a 5xx
            (not processed: resend later); AR and 4xx are reported, they are the data's fault.
            """)

    @Argument(help: "Files or directories.") var paths: [String] = []
    @Option(help: "MLLP listener host:port.") var mllp = "127.0.0.1:2575"
    @Option(help: "FHIR endpoint base URL.") var fhir = "http://127.0.0.1:8080/fhir"
    @Option(help: "Parallel MLLP connections.") var connections = 4
    @Option(help: "Sender name (X-Vigil-Source-System) for FHIR.") var sourceSystem = "replay"
    @Option(help: "A folder of PhysioNet/CinC 2019 stays (.psv) to send as ADT^A01 + hourly ORU^R01 messages.")
    var psv: String?
    @Option(help: "At most this many stays from --psv.") var stays = Int.max
    @Option(help: "When the first stay's ICU hour 1 starts (ISO 8601); stays start an hour apart.")
    var start = "2026-01-05T00:00:00Z"
    @Flag(help: "Instead of --start, let every stay end at the current hour (live-looking data for the demo).")
    var recent = false

    func run() async throws {
        let files = try Self.files(paths)
        if let psv { try await replayStays(psv) }
        guard !files.isEmpty else {
            if psv == nil { throw ValidationError("give files or directories to send, or --psv FOLDER") }
            return
        }
        var hl7: [[UInt8]] = []
        var fhirFiles: [URL] = []
        for url in files {
            if url.pathExtension.lowercased() == "json" {
                fhirFiles.append(url)
            } else if let data = FileManager.default.contents(atPath: url.path) {
                hl7 += Self.messages(in: Array(data))
            }
        }
        var failed = false
        if !hl7.isEmpty {
            let parts = mllp.split(separator: ":")
            guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--mllp must be host:port") }
            let start = ContinuousClock.now
            let codes = try await MLLPClient.codes(
                host: String(parts[0]), port: port, messages: hl7, connections: connections)
            let seconds = (ContinuousClock.now - start).seconds
            print("HL7 v2 over MLLP: \(hl7.count) messages in \(String(format: "%.2f", seconds)) s — " + Self.tally(codes))
            failed = failed || codes.contains { $0 != "AA" && $0 != "AR" }
        }
        if !fhirFiles.isEmpty {
            var statuses: [String] = []
            for url in fhirFiles {
                statuses.append(String(try await post(url)))
            }
            print("FHIR R4 over HTTP: \(fhirFiles.count) bodies — " + Self.tally(statuses.map { "HTTP \($0)" }))
            failed = failed || statuses.contains { $0.hasPrefix("5") }
        }
        if hl7.isEmpty && fhirFiles.isEmpty { print("nothing to replay") }
        if failed { throw ExitCode(1) }
    }

    /// Each stay's messages go in order over one connection (a stay is one patient); stays run side by side.
    func replayStays(_ folder: String) async throws {
        guard let first = ISO8601DateFormatter().date(from: start) else { throw ValidationError("--start must be ISO 8601") }
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".psv") }.sorted()
            .prefix(stays)
        var groups: [[[UInt8]]] = Array(repeating: [], count: max(1, connections))
        for (index, name) in names.enumerated() {
            let file = try SepsisStayFile(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name))
            let hour = (Date().timeIntervalSince1970 / 3600).rounded(.down) * 3600
            let begins =
                recent
                ? Date(timeIntervalSince1970: hour - Double(file.hours.count) * 3600)
                : first.addingTimeInterval(Double(index) * 3600)
            let messages = SepsisStayMessages(stay: String(name.dropLast(4)), file: file, start: begins).messages()
            groups[index % groups.count] += messages
        }
        let parts = mllp.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else { throw ValidationError("--mllp must be host:port") }
        let clock = ContinuousClock.now
        let codes = try await withThrowingTaskGroup(of: [String].self) { tasks in
            for group in groups where !group.isEmpty {
                tasks.addTask { try await MLLPClient.codes(host: String(parts[0]), port: port, messages: group, connections: 1) }
            }
            return try await tasks.reduce(into: []) { $0 += $1 }
        }
        let seconds = (ContinuousClock.now - clock).seconds
        print("ICU stays over MLLP: \(names.count) stays, \(codes.count) messages in \(String(format: "%.2f", seconds)) s — " + Self.tally(codes))
        if codes.contains(where: { $0 != "AA" && $0 != "AR" }) { throw ExitCode(1) }
    }

    func post(_ file: URL) async throws -> Int {
        guard let base = URL(string: fhir), let host = base.host, base.scheme == "http" else {
            throw ValidationError("--fhir must be an http:// URL")
        }
        let response = try await HTTP1Client.request(
            "POST", host: host, port: base.port ?? 80, path: base.path.isEmpty ? "/" : base.path,
            headers: [("Content-Type", "application/fhir+json"), ("X-Vigil-Source-System", sourceSystem)],
            body: Array(try Data(contentsOf: file)))
        return response.status
    }

    /// Each message's bytes; a file that is not HL7 at all is sent whole (the listener answers AR).
    static func messages(in bytes: [UInt8]) -> [[UInt8]] {
        guard let batch = try? HL7Batch(parsing: bytes), !batch.entries.isEmpty else { return [bytes] }
        return batch.entries.map { Array(bytes[$0.byteRange]) }
    }

    static func files(_ paths: [String]) throws -> [URL] {
        var result: [URL] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw ValidationError("no such file or directory: \(path)")
            }
            if !isDirectory.boolValue {
                result.append(URL(fileURLWithPath: path))
                continue
            }
            let walker = FileManager.default.enumerator(at: URL(fileURLWithPath: path), includingPropertiesForKeys: nil)
            while let url = walker?.nextObject() as? URL {
                let name = url.lastPathComponent
                if (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                    !name.hasPrefix("."), !["LICENSE", "SOURCE.txt", "MANIFEST.tsv", "README.md"].contains(name),
                    !name.hasSuffix(".tsv")
                {
                    result.append(url)
                }
            }
        }
        return result.sorted { $0.path < $1.path }
    }

    static func tally(_ values: [String]) -> String {
        Dictionary(grouping: values, by: { $0 }).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.count)" }
            .joined(separator: ", ")
    }
}
