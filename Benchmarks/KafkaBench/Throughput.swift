import Foundation
import Logging
import VigilKafka

struct ThroughputResult: Codable {
    var client: String
    /// Records acknowledged by the broker per second (bound by the broker on a small machine).
    var producePerSecond: Double
    /// Records handed to librdkafka per second: the client's own cost per record.
    var enqueuePerSecond: Double
    var consumePerSecond: Double
}

struct SwiftThroughput {
    let kafka: KafkaConfiguration
    let count: Int
    let size: Int
    let logger: Logger

    func run() async throws -> ThroughputResult {
        let topic = "bench.swift.\(UUID().uuidString.prefix(8).lowercased())"
        let admin = try KafkaAdmin(configuration: kafka, logger: logger)
        try await admin.createTopics([KafkaAdmin.TopicSpec(name: topic, partitions: 1)])

        let producer = try KafkaProducer(
            configuration: ProducerConfiguration(kafka: kafka, maxQueuedMessages: 1_000_000), logger: logger)
        let record = OutboundRecord(topic: topic, value: [UInt8](repeating: 0x78, count: size))
        let chunk = 10_000
        let start = ContinuousClock.now
        // Enqueue in chunks without waiting in between; then wait for every delivery report.
        let waiter = ChunkWaiter(chunks: (count + chunk - 1) / chunk)
        var sent = 0
        while sent < count {
            let n = min(chunk, count - sent)
            await producer.enqueue(Array(repeating: record, count: n)) { waiter.done($0) }
            sent += n
        }
        let enqueued = ContinuousClock.now - start
        try await waiter.wait()
        let produceSeconds = (ContinuousClock.now - start).seconds
        await producer.close()

        let consumer = try KafkaConsumer(
            configuration: ConsumerConfiguration(
                kafka: kafka, groupID: "bench-\(UUID().uuidString.prefix(8))", topics: [topic], bufferCapacity: 20_000,
                maxBatch: 1000),
            logger: logger)
        var received = 0
        var first: ContinuousClock.Instant?
        for await batch in consumer.batches {
            if first == nil { first = .now }  // group join excluded, as in the Python baseline
            received += batch.count
            if received >= count { break }
        }
        let consumeSeconds = (ContinuousClock.now - (first ?? .now)).seconds
        await consumer.close()
        return ThroughputResult(
            client: "swift VigilKafka", producePerSecond: Double(count) / produceSeconds,
            enqueuePerSecond: Double(count) / enqueued.seconds,
            consumePerSecond: Double(received) / consumeSeconds)
    }
}

/// Counts chunk completions; the benchmark waits for all of them.
final class ChunkWaiter: @unchecked Sendable {
    private let lock = NSLock()
    private var remaining: Int
    private var failure: KafkaError?
    private var continuation: CheckedContinuation<Void, Error>?

    init(chunks: Int) { remaining = chunks }

    func done(_ result: Result<DeliveryReport?, KafkaError>) {
        lock.lock()
        remaining -= 1
        if case .failure(let error) = result { failure = error }
        let finished = remaining == 0 ? continuation : nil
        if finished != nil { continuation = nil }
        lock.unlock()
        if let finished { if let failure { finished.resume(throwing: failure) } else { finished.resume() } }
    }

    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
            lock.lock()
            if remaining == 0 {
                lock.unlock()
                if let failure { continuation.resume(throwing: failure) } else { continuation.resume() }
                return
            }
            self.continuation = continuation
            lock.unlock()
        }
    }
}

struct PythonThroughput {
    let python: String
    let brokers: String
    let options: String
    let consumerOptions: String
    let count: Int
    let size: Int

    func run() throws -> ThroughputResult {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("kafka_bench.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--brokers", brokers, "--partitions", "1", "--count", "\(count)", "--size", "\(size)", "--options", options, "--consumer-options", consumerOptions]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        struct Output: Decodable { var produce_per_s: Double; var enqueue_per_s: Double; var consume_per_s: Double }
        let output = try JSONDecoder().decode(Output.self, from: data)
        return ThroughputResult(
            client: "python confluent-kafka", producePerSecond: output.produce_per_s,
            enqueuePerSecond: output.enqueue_per_s, consumePerSecond: output.consume_per_s)
    }
}


