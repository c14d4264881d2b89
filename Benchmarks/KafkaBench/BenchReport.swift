import Foundation

/// The benchmark's figures: best of the runs per client, and the Swift/Python ratios.
struct BenchReport: Codable {
    var count: Int
    var size: Int
    var swift: [ThroughputResult]
    var python: [ThroughputResult]

    var bestSwiftProduce: Double { swift.map(\.producePerSecond).max() ?? 0 }
    var bestSwiftEnqueue: Double { swift.map(\.enqueuePerSecond).max() ?? 0 }
    var bestPythonEnqueue: Double { python.map(\.enqueuePerSecond).max() ?? 0 }
    var bestSwiftConsume: Double { swift.map(\.consumePerSecond).max() ?? 0 }
    var bestPythonProduce: Double { python.map(\.producePerSecond).max() ?? 0 }
    var bestPythonConsume: Double { python.map(\.consumePerSecond).max() ?? 0 }

    var markdown: String {
        func rate(_ value: Double) -> String { String(format: "%.0f", value) }
        func ratio(_ a: Double, _ b: Double) -> String { b > 0 ? String(format: "%.2f×", a / b) : "n/a" }
        var lines = [
            "## Kafka client throughput (\(count) records × \(size) B, best of \(swift.count) runs)",
            "",
            "| client | produce, acknowledged msg/s | produce, client-side msg/s | consume msg/s |",
            "|---|---:|---:|---:|",
            "| Swift VigilKafka | \(rate(bestSwiftProduce)) | \(rate(bestSwiftEnqueue)) | \(rate(bestSwiftConsume)) |",
        ]
        if !python.isEmpty {
            lines.append(
                "| Python confluent-kafka | \(rate(bestPythonProduce)) | \(rate(bestPythonEnqueue)) | \(rate(bestPythonConsume)) |")
            lines.append(
                "| **ratio Swift / Python** | \(ratio(bestSwiftProduce, bestPythonProduce)) | "
                    + "\(ratio(bestSwiftEnqueue, bestPythonEnqueue)) | \(ratio(bestSwiftConsume, bestPythonConsume)) |")
        }
        lines.append("")
        lines.append("Targets: Swift ≥ 1.5× Python for both; Swift producer ≥ 500,000 msg/s.")
        lines.append(
            "Acknowledged = until the broker confirmed every record (bounded by the embedded broker on 2 cores); "
                + "client-side = until every record was handed to librdkafka (the wrapper's own cost).")
        lines.append("All runs: " + swift.map { "swift \(rate($0.producePerSecond))/\(rate($0.consumePerSecond))" }.joined(separator: ", ")
            + (python.isEmpty ? "" : "; " + python.map { "python \(rate($0.producePerSecond))/\(rate($0.consumePerSecond))" }.joined(separator: ", ")))
        return lines.joined(separator: "\n")
    }

    func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(markdown.utf8).write(to: folder.appendingPathComponent("kafka.md"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: folder.appendingPathComponent("kafka.json"))
    }
}
