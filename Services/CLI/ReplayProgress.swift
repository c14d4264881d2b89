import Foundation
import Synchronization
import VigilModelCore

/// The replay's progress line on stderr — answered / total, rate, ETA — redrawn twice a second, only when
/// stderr is a terminal (a log file or a test gets the summary line alone).
final class ReplayProgress: Sendable {
    let label: String
    let total: Int
    private let done = Atomic<Int>(0)
    private let started = ContinuousClock.now

    init(label: String, total: Int) {
        self.label = label
        self.total = total
    }

    static var isTerminal: Bool { isatty(STDERR_FILENO) == 1 }

    /// One more message answered.
    func tick() { done.add(1, ordering: .relaxed) }

    /// Runs `body` with the line drawn beside it; the last state stays on screen.
    func showing<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        guard Self.isTerminal, total > 0 else { return try await body() }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while !Task.isCancelled {
                    self.draw()
                    try? await Task.sleep(for: .milliseconds(500))
                }
            }
            let result = try await body()
            group.cancelAll()
            try await group.waitForAll()
            draw()
            FileHandle.standardError.write(Data("\n".utf8))
            return result
        }
    }

    private func draw() {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + line()).utf8))
    }

    func line() -> String {
        let count = done.load(ordering: .relaxed)
        let seconds = (ContinuousClock.now - started).seconds
        let rate = seconds > 0 ? Double(count) / seconds : 0
        var text = "\(label): \(count)/\(total) sent, \(String(format: "%.1f", rate)) msg/s"
        if count < total && rate > 0 { text += ", ETA \(Self.clock(Double(total - count) / rate))" }
        return text
    }

    static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        if whole >= 3600 { return "\(whole / 3600)h\(String(format: "%02d", whole % 3600 / 60))m" }
        return whole >= 60 ? "\(whole / 60)m\(String(format: "%02d", whole % 60))s" : "\(whole)s"
    }
}
