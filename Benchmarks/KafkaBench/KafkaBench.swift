import ArgumentParser
import Foundation
import Logging
import VigilKafka

/// `make bench` (Kafka part): Swift producer and consumer throughput on 100-byte records, next to the
/// Python confluent-kafka client on the same broker in the same run.
@main
struct VigilBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil-bench", abstract: "Vigil's benchmarks, each next to a baseline run in the same command.",
        subcommands: [KafkaBench.self, HL7Bench.self, MLLPBench.self, DeidBench.self, InferBench.self, NotifyBench.self, WebhookBench.self, E2EBench.self,
        ])
}

struct KafkaBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafka", abstract: "Measure the Kafka wrapper against the Python client.")

    @Option(help: "Bootstrap servers.") var brokers = ProcessInfo.processInfo.environment["VIGIL_KAFKA_BROKERS"] ?? "127.0.0.1:19092"
    @Option(help: "Extra librdkafka properties for all clients, key=value,...")
    var options = ProcessInfo.processInfo.environment["VIGIL_KAFKA_OPTIONS"] ?? ""
    @Option(help: "Extra librdkafka properties for consumers, key=value,...")
    var consumerOptions = ProcessInfo.processInfo.environment["VIGIL_KAFKA_CONSUMER_OPTIONS"] ?? ""
    @Option(help: "Records per run.") var count = 1_000_000
    @Option(help: "Record size in bytes.") var size = 100
    @Option(help: "Runs per client; the best run counts.") var runs = 3
    @Option(help: "Python interpreter with confluent-kafka (empty to skip the baseline).") var python = ""
    @Option(help: "Folder for the Markdown and JSON report.") var out = "bench-results"

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .warning
        let kafka = KafkaConfiguration(
            brokers: brokers, clientID: "vigil-bench", options: try KafkaConfiguration.parseOptions(options),
            consumerOptions: try KafkaConfiguration.parseOptions(consumerOptions), statisticsIntervalMs: 0)
        var swiftRuns: [ThroughputResult] = []
        for _ in 0..<runs { swiftRuns.append(try await SwiftThroughput(kafka: kafka, count: count, size: size, logger: logger).run()) }
        var pythonRuns: [ThroughputResult] = []
        if !python.isEmpty {
            for _ in 0..<runs { pythonRuns.append(try PythonThroughput(python: python, brokers: brokers, options: options, consumerOptions: consumerOptions, count: count, size: size).run()) }
        }
        let report = BenchReport(count: count, size: size, swift: swiftRuns, python: pythonRuns)
        print(report.markdown)
        try report.write(to: URL(fileURLWithPath: out))
    }
}
