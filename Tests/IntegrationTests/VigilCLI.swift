import Foundation

/// Runs the built `vigil` binary as an operator would. Output goes to files, so a command that runs a while
/// (`alerts tail`) never blocks on a full pipe; it is killed after `timeout`.
enum VigilCLI {
    static let binary = ServiceProcess.binaries.appendingPathComponent("vigil")
    static var built: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

    struct Run: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
        var elapsed: Duration
        var timedOut: Bool
        var lines: [String] { stdout.split(separator: "\n").map(String.init) }
    }

    static func run(
        _ arguments: [String], environment extra: [String: String] = [:], timeout: Duration = .seconds(60)
    ) async throws -> Run {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-cli-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let out = folder.appendingPathComponent("stdout")
        let err = folder.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(extra) { _, new in new }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: out)
        process.standardError = try FileHandle(forWritingTo: err)
        let started = ContinuousClock.now
        try process.run()
        let exited = await ServiceProcess.waitForExit(process, timeout: timeout)
        if !exited {
            process.terminate()
            _ = await ServiceProcess.waitForExit(process, timeout: .seconds(5))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        let elapsed = ContinuousClock.now - started
        return Run(
            status: process.terminationStatus, stdout: (try? String(contentsOf: out, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOf: err, encoding: .utf8)) ?? "", elapsed: elapsed, timedOut: !exited)
    }
}
