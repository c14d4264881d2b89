import ArgumentParser
import Foundation
import Logging
import VigilKafka
import VigilPostgres

/// `make bench` (end-to-end part): the four release-built services as processes, fed HL7 over MLLP; latency
/// percentiles at fixed offered loads, throughput at saturation per stage, peak RSS per service, and the bare
/// broker's rate in the same run as the ceiling.
struct E2EBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "e2e",
        abstract: "Measure the whole pipeline: latency at fixed loads, throughput at saturation, RSS.")

    @Option(help: "Offered loads in events/s, ascending; the steps stop after the first that saturates.")
    var rates = "50,100,150,200,250,500,1000,2000"
    @Option(help: "Seconds of traffic per offered load.") var seconds = 15.0
    @Option(help: "Events in the saturation run.") var saturationEvents = 15_000
    @Option(help: "MLLP connections.") var connections = 4
    @Option(help: "Records for the bare-broker ceiling.") var brokerRecords = 300_000
    @Option(help: "Python with matplotlib for the latency chart (empty: no chart).") var python = ""
    @Option(help: "Folder of vigil and the four services (default: beside vigil-bench).") var bin = ""
    @Option(help: "Folder for the Markdown and JSON report.") var out = "bench-results"

    func run() async throws {
        var logger = Logger(label: "bench")
        // librdkafka reports every refused connect as an error; at start and end the broker is not there.
        logger.logLevel = .critical
        let root = Self.root
        let binaries =
            bin.isEmpty
            ? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
            : URL(fileURLWithPath: bin)
        for name in ["vigil", "vigil-ingest", "vigil-deid", "vigil-infer", "vigil-notify"]
        where !FileManager.default.isExecutableFile(atPath: binaries.appendingPathComponent(name).path) {
            throw ValidationError("\(binaries.path)/\(name) is missing: swift build -c release --product \(name)")
        }
        let offered = rates.split(separator: ",").compactMap { Double($0.trimmingCharacters(in: .whitespaces)) }
        let folder = URL(fileURLWithPath: out)
        let stack = try E2EStack(binaries: binaries, root: root, logs: folder.appendingPathComponent("e2e-logs"))
        var report = E2EReport(
            date: Self.shell("date"), machine: Self.machine(), eventsPerMessage: E2EWorkload.eventsPerMessage,
            connections: connections)
        do {
            try await measure(stack: stack, offered: offered, report: &report, logger: logger)
        } catch {
            await stack.stopAll()
            await stack.dropDatabase(logger: logger)
            throw error
        }
        await stack.stopAll()
        await stack.dropDatabase(logger: logger)
        try report.write(to: folder)  // the chart script reads e2e.json
        report.chart = chart(folder)
        try report.write(to: folder)
        print(report.markdown)
    }

    private func measure(stack: E2EStack, offered: [Double], report: inout E2EReport, logger: Logger) async throws {
        let kafka = KafkaConfiguration(
            brokers: stack.brokers, clientID: "vigil-bench",
            options: try KafkaConfiguration.parseOptions(
                ProcessInfo.processInfo.environment["VIGIL_KAFKA_OPTIONS"] ?? ""),
            consumerOptions: try KafkaConfiguration.parseOptions(
                ProcessInfo.processInfo.environment["VIGIL_KAFKA_CONSUMER_OPTIONS"] ?? ""),
            statisticsIntervalMs: 0)
        try stack.startBroker()
        try await stack.waitForBroker()
        print("e2e: broker on \(stack.brokers); bare produce + consume of \(brokerRecords) records (the ceiling)")
        report.brokerCeiling = try await SwiftThroughput(kafka: kafka, count: brokerRecords, size: 100, logger: logger)
            .run()
        try await stack.createDatabase(logger: logger)
        try stack.startServices()
        for service in E2EStack.Service.allCases { try await waitReady(stack, service) }
        print("e2e: services ready (logs in \(stack.logs.path)); warming up")
        let pool = PostgresPool(
            configuration: PostgresConfiguration(connectionString: stack.url(role: "vigil"), poolSize: 2),
            logger: logger)
        let probe = try E2EProbe(kafka: kafka, logger: logger)
        let monitor = E2EMonitor(stack: stack, waits: E2EDatabaseWaits(pool: pool))
        let phases = E2EPhases(stack: stack, monitor: monitor, probe: probe, pool: pool, connections: connections)
        do {
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { await probe.run() }
                tasks.addTask { await monitor.run() }
                try await phases.warmUp()
                for rate in offered {
                    print("e2e: \(Int(rate)) events/s for \(Int(seconds)) s")
                    let step = try await phases.step(eventsPerSecond: rate, seconds: seconds)
                    report.steps.append(step)
                    if step.saturated { break }
                }
                print("e2e: saturation, \(saturationEvents) events")
                report.saturation = try await phases.saturate(events: saturationEvents)
                report.memory = monitor.memory().sorted { $0.key.rawValue < $1.key.rawValue }.map {
                    E2EReport.Memory(service: $0.key.rawValue, peakRSSMB: $0.value.peakMB, hwmMB: $0.value.hwmMB)
                }
                await probe.close()
                tasks.cancelAll()
            }
        } catch {
            await probe.close()
            await pool.close()
            throw error
        }
        await pool.close()
    }

    /// The repository (migrations, the chart script).
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    private func waitReady(_ stack: E2EStack, _ service: E2EStack.Service) async throws {
        let deadline = ContinuousClock.now + .seconds(90)
        while ContinuousClock.now < deadline {
            if await StageCounters.get(port: stack.httpPorts[service]!, path: "/ready") != nil { return }
            guard stack.processes[service]?.isRunning == true else { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw BenchFailure("vigil-\(service.rawValue) not ready: see \(stack.logs.path)/\(service.rawValue).log")
    }

    /// Runs the chart script; the PNG's path, or nil (the report says the chart is missing).
    private func chart(_ folder: URL) -> String? {
        guard !python.isEmpty else { return nil }
        let png = folder.appendingPathComponent("e2e-latency.png")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [
            Self.root.appendingPathComponent("tools/bench/latency_chart.py").path,
            folder.appendingPathComponent("e2e.json").path, png.path,
        ]
        guard (try? process.run()) != nil else { return nil }
        process.waitUntilExit()
        return process.terminationStatus == 0 ? png.lastPathComponent : nil
    }

    static func machine() -> String {
        let memory = Double(ProcessInfo.processInfo.physicalMemory) / Double(1 << 30)
        let os =
            (try? String(contentsOfFile: "/etc/os-release", encoding: .utf8))?.split(separator: "\n")
            .first { $0.hasPrefix("PRETTY_NAME=") }?.dropFirst(12).replacingOccurrences(of: "\"", with: "") ?? "Linux"
        return "\(ProcessInfo.processInfo.activeProcessorCount) cores, \(String(format: "%.0f", memory)) GiB, \(os)"
    }

    static func shell(_ command: String) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
