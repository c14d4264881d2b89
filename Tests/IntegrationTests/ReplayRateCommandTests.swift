import Foundation
import Ingestion
import ServiceLifecycle
import Synchronization
import Testing
import VigilHL7

/// `vigil replay --rate` and `--speedup` against an MLLP listener that notes when each message arrives.
/// Timing is checked only from below (a loaded machine is slow, never fast): N messages at R a second cannot
/// take less than (N-1)/R, and a clinical clock at X times real time cannot cover a span faster than span/X.
@Suite(.enabled(if: VigilCLI.built, "needs a build"))
struct ReplayRateCommandTests {
    /// Answers AA to everything and notes each frame with its arrival time.
    final class Recorder: HL7FrameHandler {
        let arrivals = Mutex<[(at: ContinuousClock.Instant, frame: [UInt8])]>([])

        func handle(_ frames: [[UInt8]]) async -> [[UInt8]] {
            let now = ContinuousClock.now
            arrivals.withLock { $0 += frames.map { (now, $0) } }
            return frames.map {
                HL7Ack.build(replyingTo: $0, code: .applicationAccept, controlID: "ACK\(UUID().uuidString.prefix(8))")
            }
        }

        var frames: [(at: ContinuousClock.Instant, frame: [UInt8])] { arrivals.withLock { $0 } }
    }

    /// Runs a recording MLLP listener around `body`, which gets its port.
    static func listening(_ body: (Int, Recorder) async throws -> Void) async throws {
        let recorder = Recorder()
        let server = MLLPServer(configuration: MLLPConfiguration(port: 0), handler: recorder, logger: TestKafka.logger)
        let group = ServiceGroup(services: [server], logger: TestKafka.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while server.localPort == nil { try await Task.sleep(for: .milliseconds(10)) }
            do {
                try await body(server.localPort!, recorder)
            } catch {
                await group.triggerGracefulShutdown()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    static func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-replay-\(UUID())")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func oru(_ n: Int) -> String {
        "MSH|^~\\&|MON|ICU|VIGIL|HOSP|20240301101500||ORU^R01^ORU_R01|RATE\(n)|P|2.5.1\r"
            + "PID|1||\(1000 + n)^^^HOSP^MR||Doe^Jane||19700101|F\r"
            + "OBX|1|NM|8867-4^Heart rate^LN||\(60 + n)|/min^beats per minute^UCUM|||||F|||20240301101000\r"
    }

    @Test func rateKeepsToTheMessagesPerSecondOverAllConnections() async throws {
        let files = try Self.folder()
        defer { try? FileManager.default.removeItem(at: files) }
        for n in 0..<11 {
            try Self.oru(n).write(to: files.appendingPathComponent("m\(n).hl7"), atomically: true, encoding: .utf8)
        }
        try await Self.listening { port, recorder in
            let run = try await VigilCLI.run(
                ["replay", "--mllp", "127.0.0.1:\(port)", "--connections", "4", "--rate", "20", files.path])
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout.contains("11 messages") && run.stdout.contains("AA 11"), "\(run.stdout)")
            #expect(!run.stderr.contains("\u{1B}"), "no progress line when stderr is not a terminal")
            let arrivals = recorder.frames.map(\.at).sorted()
            #expect(arrivals.count == 11)
            // One token at the start, then one every 50 ms, shared by the four connections.
            #expect(run.elapsed >= .milliseconds(500), "\(run.elapsed)")
            // Arrival times at the listener are no measure of pacing on a loaded machine (a stalled reader takes
            // several at once), so the pacing is checked at the sender above.
        }
    }

    @Test func speedupSendsStaysInClinicalTimeOrderOnAFasterClock() async throws {
        let stays = try Self.folder()
        defer { try? FileManager.default.removeItem(at: stays) }
        let fixtures = ServiceProcess.root.appendingPathComponent("Tests/Fixtures/sepsis")
        for name in ["p100001.psv", "p100013.psv"] {
            try FileManager.default.copyItem(
                at: fixtures.appendingPathComponent(name), to: stays.appendingPathComponent(name))
        }
        try await Self.listening { port, recorder in
            // 100 ICU hours a second.
            let run = try await VigilCLI.run(
                [
                    "replay", "--mllp", "127.0.0.1:\(port)", "--psv", stays.path, "--speedup", "360000",
                    "--connections", "1",
                ])
            #expect(run.status == 0, "\(run.stderr)")
            // One connection: the recorder's order is the order they were sent in.
            let times = recorder.frames.compactMap { Self.messageTime($0.frame) }
            #expect(times.count == recorder.frames.count && times.count > 20)
            #expect(times == times.sorted(), "both stays interleaved in event-time order")
            let span = (times.last ?? 0) - (times.first ?? 0)
            #expect(span > 3600, "two stays an hour apart, many hours each")
            #expect(run.elapsed >= .seconds(span / 360_000 * 0.95), "\(run.elapsed) for \(span) s of ICU time")
        }
    }

    @Test func speedupAndRateExcludeEachOtherAndSpeedupNeedsStays() async throws {
        let both = try await VigilCLI.run(["replay", "--psv", "samples/icu-stays", "--speedup", "3600", "--rate", "5"])
        #expect(both.status == 64 && both.stderr.contains("exclude each other"), "\(both.stderr)")
        let files = try await VigilCLI.run(["replay", "--speedup", "3600", "samples/hl7"])
        #expect(files.status == 64 && files.stderr.contains("--psv"), "\(files.stderr)")
        let negative = try await VigilCLI.run(["replay", "--rate", "-1", "samples/hl7"])
        #expect(negative.status == 64 && negative.stderr.contains("--rate"), "\(negative.stderr)")
    }

    /// MSH-7 as seconds since 1970 (the replay writes `yyyyMMddHHmmss+0000`).
    static func messageTime(_ frame: [UInt8]) -> Double? {
        let fields = String(decoding: frame, as: UTF8.self).split(separator: "\r").first?.split(separator: "|") ?? []
        guard fields.count > 6 else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMddHHmmssZ"
        return formatter.date(from: String(fields[6]))?.timeIntervalSince1970
    }
}
