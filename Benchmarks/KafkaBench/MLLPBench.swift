import ArgumentParser
import Foundation
import Ingestion
import Logging
import ServiceLifecycle
import VigilHL7
import VigilKafka
import VigilModelCore
import VigilPHI
import VigilPostgres

/// MLLP to broker: ORU^R01 messages over several pipelined MLLP connections into the real listener, parser,
/// mapper, dedupe ledger (PostgreSQL) and producer; counted when the AA is back, i.e. when the broker has
/// confirmed the events. Next to it, in the same run: the same events produced straight to the broker
/// (the ceiling the pipeline can reach) and the parse + map step alone.
struct MLLPBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mllp", abstract: "Measure MLLP-to-broker acknowledged messages/s.")

    @Option(help: "Bootstrap servers.") var brokers = ProcessInfo.processInfo.environment["VIGIL_KAFKA_BROKERS"] ?? "127.0.0.1:19092"
    @Option(help: "Extra librdkafka properties, key=value,...")
    var options = ProcessInfo.processInfo.environment["VIGIL_KAFKA_OPTIONS"] ?? ""
    @Option(help: "PostgreSQL URL (migrated: make bench runs vigil migrate).")
    var pgURL = ProcessInfo.processInfo.environment["VIGIL_PG_URL"] ?? "postgresql://vigil@127.0.0.1:55432/vigil"
    @Option(help: "Messages per run.") var count = 50_000
    @Option(help: "MLLP connections.") var connections = 8
    @Option(help: "Runs; the best counts.") var runs = 3
    @Option(help: "Folder for the Markdown and JSON report.") var out = "bench-results"

    func run() async throws {
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let kafka = KafkaConfiguration(
            brokers: brokers, clientID: "vigil-bench", options: try KafkaConfiguration.parseOptions(options),
            statisticsIntervalMs: 0)
        let topic = "bench.mllp.\(UUID().uuidString.prefix(8).lowercased())"
        try await KafkaAdmin(configuration: kafka, logger: logger).createTopics([.init(name: topic, partitions: 4)])
        let producer = try KafkaProducer(configuration: ProducerConfiguration(kafka: kafka), logger: logger)
        let pool = PostgresPool(
            configuration: PostgresConfiguration(connectionString: pgURL, poolSize: 4), logger: logger)
        let sender = "BENCH-\(UUID().uuidString.prefix(8))"
        let publisher = IngestPublisher(
            producer: producer, ledger: DedupeLedger(pool: pool), source: "bench", topic: topic, logger: logger)
        let server = MLLPServer(
            configuration: MLLPConfiguration(port: 0),
            handler: MLLPIngestHandler(
                intake: HL7Intake(mapper: HL7Mapper(), publisher: publisher, channel: "mllp"),
                deadLetterTopic: topic + ".dlq", logger: logger),
            logger: logger)
        let group = ServiceGroup(services: [server], logger: logger)
        var mllpRates: [Double] = []
        var directRates: [Double] = []
        var mapRates: [Double] = []
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while server.localPort == nil { try await Task.sleep(for: .milliseconds(10)) }
            let port = server.localPort!
            for run in 0..<runs {
                let messages = (0..<count).map { Self.oru(sender: sender, run: run, n: $0) }
                let start = ContinuousClock.now
                let codes = try await MLLPClient.codes(port: port, messages: messages, connections: connections)
                let elapsed = (ContinuousClock.now - start).seconds
                let accepted = codes.filter { $0 == "AA" }.count
                guard accepted == count else {
                    throw ValidationError("only \(accepted) of \(count) messages got AA: \(Set(codes))")
                }
                mllpRates.append(Double(count) / elapsed)

                // The same events, mapped once, produced straight to the broker.
                let mapStart = ContinuousClock.now
                let mapped = try messages.map { try HL7Mapper().map(try HL7Message(parsing: $0)).events }
                mapRates.append(Double(count) / (ContinuousClock.now - mapStart).seconds)
                let records = try mapped.flatMap { events in
                    try events.map { event in
                        let (headers, data) = try CloudEvent.encode(event: event, source: "bench", traceparent: .start())
                        return OutboundRecord(
                            topic: topic, key: Array(event.patient.partitionKey.utf8), value: data,
                            headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) })
                    }
                }
                let directStart = ContinuousClock.now
                try await producer.sendBatch(records)
                directRates.append(Double(count) / (ContinuousClock.now - directStart).seconds)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        _ = try? await pool.execute("DELETE FROM ingest.messages WHERE source_system = \(sender)")
        await producer.close(timeout: .seconds(5))
        await pool.close()
        try report(mllp: mllpRates, direct: directRates, map: mapRates)
    }

    func report(mllp: [Double], direct: [Double], map: [Double]) throws {
        let best = (mllp.max() ?? 0, direct.max() ?? 0, map.max() ?? 0)
        func rate(_ value: Double) -> String { String(format: "%.0f", value) }
        let lines = [
            "## MLLP to broker (\(count) ORU^R01 messages, \(connections) connections, best of \(runs) runs)", "",
            "| path | messages/s | share of direct produce |", "|---|---:|---:|",
            "| MLLP → parse → map → ledger → broker → AA | \(rate(best.0)) | \(String(format: "%.0f%%", 100 * best.0 / max(best.1, 1))) |",
            "| same events produced straight to the broker (ceiling) | \(rate(best.1)) | 100% |",
            "| parse + map alone, one core | \(rate(best.2)) | n/a |", "",
            "Target: ≥ 20,000 acknowledged messages/s. An AA is sent only after the broker confirmed the",
            "message's events and the ledger recorded it. All runs (MLLP/direct): "
                + zip(mllp, direct).map { "\(rate($0.0))/\(rate($0.1))" }.joined(separator: ", "),
        ]
        let text = lines.joined(separator: "\n")
        print(text)
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: "\(out)/mllp.md"))
        let json: [String: Any] = ["mllp_acked_per_s": best.0, "direct_produce_per_s": best.1, "parse_map_per_s": best.2]
        try JSONSerialization.data(withJSONObject: json, options: [.prettyPrinted, .sortedKeys])
            .write(to: URL(fileURLWithPath: "\(out)/mllp.json"))
    }

    /// An ORU^R01 with one vital sign, as a bedside monitor gateway sends them.
    static func oru(sender: String, run: Int, n: Int) -> [UInt8] {
        Array(
            ("MSH|^~\\&|\(sender)|ICU|VIGIL|HOSP|20240301101500||ORU^R01^ORU_R01|R\(run)-\(n)|P|2.5.1\r"
                + "PID|1||\(100_000 + n % 500)^^^HOSP^MR||Doe^Jane||19700101|F\r"
                + "OBR|1||F\(n)|8716-3^Vital signs^LN|||20240301101000\r"
                + "OBX|1|NM|8867-4^Heart rate^LN||\(60 + n % 40)|/min^beats per minute^UCUM|||||F|||20240301101000\r").utf8)
    }
}
