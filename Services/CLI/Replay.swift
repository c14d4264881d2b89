import ArgumentParser
import Foundation
import Ingestion
import VigilHL7
import VigilModelCore
import VigilRuntime

/// `vigil replay`: sends sample files to a running `vigil-ingest` the way hospital systems would (HL7 v2 over
/// MLLP, FHIR JSON by HTTP POST) and counts the answers.
struct Replay: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send HL7 v2 files over MLLP and FHIR JSON files by HTTP POST to vigil-ingest; count the answers.",
        discussion: """
            Directories are walked. *.json goes to the FHIR endpoint; every other file is split into HL7 messages \
            (batches and MLLP captures included) and sent over MLLP. Exit 1 when anything got AE or a 5xx \
            (not processed: resend later); AR and 4xx are reported, they are the data's fault.

            --rate N keeps to N messages a second over all connections (a token bucket); --speedup X replays \
            --psv stays on a clinical clock: every stay's messages in event-time order, X times faster than real \
            time. On a terminal, stderr shows messages sent of the total, the rate and the time left.
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
    @Option(help: "Messages per second over all connections and kinds; 0 sends as fast as possible.")
    var rate: Double = 0
    @Option(
        help: ArgumentHelp(
            "For --psv: send all stays' messages in clinical-time order at X times real time (3600 = one ICU hour a second).",
            valueName: "X"))
    var speedup: Double?

    func validate() throws {
        guard rate >= 0, rate.isFinite else {
            throw ValidationError("--rate must be 0 (no limit) or a positive number of messages a second")
        }
        guard let speedup else { return }
        guard speedup > 0, speedup.isFinite else {
            throw ValidationError("--speedup must be positive, e.g. 3600 for one ICU hour a second")
        }
        guard rate == 0 else {
            throw ValidationError("--speedup and --rate exclude each other: the clinical clock sets the pace")
        }
        guard psv != nil else { throw ValidationError("--speedup paces --psv stays; for files use --rate") }
    }

    /// The shared bucket behind --rate, nil without a limit.
    var limiter: RateLimiter? { rate > 0 ? RateLimiter(perSecond: rate) : nil }

    static func pacing(_ limiter: RateLimiter?) -> (@Sendable (Int) async throws -> Void)? {
        guard let limiter else { return nil }
        return { _ in try await limiter.acquire() }
    }

    func endpoint() throws -> (host: String, port: Int) {
        let parts = mllp.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else {
            throw ValidationError("--mllp must be host:port, e.g. 127.0.0.1:2575")
        }
        return (String(parts[0]), port)
    }

    func run() async throws {
        let files = try Self.files(paths)
        let limiter = self.limiter
        if let psv { try await replayStays(psv, limiter: limiter) }
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
            let (host, port) = try endpoint()
            let start = ContinuousClock.now
            let progress = ReplayProgress(label: "HL7 v2 over MLLP", total: hl7.count)
            let hooks = MLLPClient.Hooks(pace: Self.pacing(limiter), acked: progress.tick)
            let codes = try await progress.showing {
                try await Self.unreachable(mllp) {
                    try await MLLPClient.codes(
                        host: host, port: port, messages: hl7, connections: connections, hooks: hooks)
                }
            }
            let seconds = (ContinuousClock.now - start).seconds
            print(
                "HL7 v2 over MLLP: \(hl7.count) messages in \(String(format: "%.2f", seconds)) s — " + Self.tally(codes)
            )
            failed = failed || codes.contains { $0 != "AA" && $0 != "AR" }
        }
        if !fhirFiles.isEmpty {
            let progress = ReplayProgress(label: "FHIR R4 over HTTP", total: fhirFiles.count)
            let statuses = try await progress.showing {
                var statuses: [String] = []
                for url in fhirFiles {
                    try await limiter?.acquire()
                    statuses.append(String(try await Self.unreachable(fhir) { try await post(url) }))
                    progress.tick()
                }
                return statuses
            }
            print("FHIR R4 over HTTP: \(fhirFiles.count) bodies — " + Self.tally(statuses.map { "HTTP \($0)" }))
            failed = failed || statuses.contains { $0.hasPrefix("5") }
        }
        if hl7.isEmpty && fhirFiles.isEmpty { print("nothing to replay") }
        if failed { throw ExitCode(1) }
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

    /// Runs `body`; a refused or failed connection becomes advice naming the address.
    static func unreachable<T>(_ address: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as ValidationError {
            throw error
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw CLIFailure(
                "cannot send to \(address): \(error)\nIs vigil-ingest running (`make run`)? Or point --mllp/--fhir at it."
            )
        }
    }

    static func tally(_ values: [String]) -> String {
        Dictionary(grouping: values, by: { $0 }).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.count)" }
            .joined(separator: ", ")
    }
}
