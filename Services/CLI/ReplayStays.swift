import ArgumentParser
import Foundation
import Inference
import Ingestion
import VigilModelCore
import VigilRuntime

/// `vigil replay --psv`: PhysioNet stays as the HL7 an ICU would send. Stays are spread over the connections
/// and each stay's messages go in order over one connection (a stay is one patient). Without --speedup each
/// connection sends its stays one after another; with it, every message waits for its clinical time on a
/// clock running X times faster than real time, so all stays advance together, in event-time order.
extension Replay {
    func replayStays(_ folder: String, limiter: RateLimiter?) async throws {
        guard let first = ISO8601DateFormatter().date(from: start) else {
            throw ValidationError("--start must be ISO 8601, e.g. 2026-01-05T00:00:00Z")
        }
        let names: ArraySlice<String>
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".psv") }.sorted()
                .prefix(stays)
        } catch {
            throw ValidationError(
                "cannot read --psv folder \(folder): give a folder of .psv stays, e.g. samples/icu-stays")
        }
        var groups: [[(time: Date, bytes: [UInt8])]] = Array(repeating: [], count: max(1, connections))
        for (index, name) in names.enumerated() {
            let file = try SepsisStayFile(contentsOf: URL(fileURLWithPath: folder).appendingPathComponent(name))
            let hour = (Date().timeIntervalSince1970 / 3600).rounded(.down) * 3600
            let begins =
                recent
                ? Date(timeIntervalSince1970: hour - Double(file.hours.count) * 3600)
                : first.addingTimeInterval(Double(index) * 3600)
            groups[index % groups.count] += SepsisStayMessages(
                stay: String(name.dropLast(4)), file: file, start: begins
            )
            .timedMessages()
        }
        if speedup != nil {
            // Interleave each connection's stays by clinical time; ties keep their order, so a stay stays in order.
            groups = groups.map { group in
                group.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
            }
        }
        let (host, port) = try endpoint()
        let total = groups.reduce(0) { $0 + $1.count }
        let progress = ReplayProgress(label: "ICU stays over MLLP", total: total)
        let clock = ContinuousClock.now
        let origin = groups.compactMap { $0.first?.time }.min() ?? first
        let codes = try await progress.showing {
            try await Self.unreachable(mllp) {
                try await withThrowingTaskGroup(of: [String].self) { tasks in
                    for group in groups where !group.isEmpty {
                        let pace = speedup.map {
                            Self.schedule(group.map(\.time), from: origin, at: clock, speedup: $0)
                        }
                        let hooks = MLLPClient.Hooks(pace: pace ?? Self.pacing(limiter), acked: progress.tick)
                        let messages = group.map(\.bytes)
                        tasks.addTask {
                            try await MLLPClient.codes(
                                host: host, port: port, messages: messages, connections: 1, hooks: hooks)
                        }
                    }
                    return try await tasks.reduce(into: []) { $0 += $1 }
                }
            }
        }
        let seconds = (ContinuousClock.now - clock).seconds
        print(
            "ICU stays over MLLP: \(names.count) stays, \(codes.count) messages in \(String(format: "%.2f", seconds)) s — "
                + Self.tally(codes))
        if codes.contains(where: { $0 != "AA" && $0 != "AR" }) { throw ExitCode(1) }
    }

    /// Waits until message `i`'s clinical time, on a clock that started at `clock` showing `origin` and runs
    /// `speedup` times faster than real time.
    static func schedule(
        _ times: [Date], from origin: Date, at clock: ContinuousClock.Instant, speedup: Double
    ) -> @Sendable (Int) async throws -> Void {
        let due = times.map { clock + .seconds(max(0, $0.timeIntervalSince(origin)) / speedup) }
        return { index in try await Task.sleep(until: due[index], clock: .continuous) }
    }
}
