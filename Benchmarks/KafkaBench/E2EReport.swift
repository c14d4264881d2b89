import Foundation

/// The end-to-end figures, written as `e2e.md` and `e2e.json` (which `tools/bench/latency_chart.py` plots).
struct E2EReport: Codable {
    struct Step: Codable {
        var offeredEventsPerSecond: Double
        var seconds: Double
        var messages: Int
        var events: Int
        var acknowledged: Int
        /// Events over the time from the first message due to the last risk record of the step arriving.
        var achievedEventsPerSecond: Double
        /// How long after the last message was due the pipeline had caught up (decided every risk record).
        var catchUpSeconds: Double
        var saturated: Bool
        var riskLatency: Latency
        var alertLatency: Latency
        var alertsExpected: Int
    }

    struct Stage: Codable {
        var service: String
        var unit: String
        var count: Double
        var perSecond: Double
        /// Share of one core the process used during the run (200% = both cores).
        var cpuPercent: Double
    }

    struct Saturation: Codable {
        var events: Int
        var messages: Int
        var acknowledged: Int
        /// MLLP messages acknowledged (AA: on the broker) per second, times events per message.
        var ingestAckedEventsPerSecond: Double
        /// Events sent over the time from the first send until notify had decided every risk record.
        var endToEndEventsPerSecond: Double
        var seconds: Double
        var riskRecords: Double
        var stages: [Stage]
        var brokerCPUPercent: Double
        var postgresCPUPercent: Double
        /// The bench itself: MLLP sender, probe consumer, /metrics polling.
        var benchCPUPercent: Double
        var machineBusyPercent: Double
        /// Per PostgreSQL role, the share of samples its connections spent in each state / wait event.
        var databaseStates: [String: [String: Double]]

        /// Machine load outside the stack and the bench (someone else's build or tests on the same machine).
        var otherCPUPercent: Double {
            machineBusyPercent - stages.reduce(0) { $0 + $1.cpuPercent } - brokerCPUPercent - postgresCPUPercent
                - benchCPUPercent
        }
    }

    struct Memory: Codable {
        var service: String
        var peakRSSMB: Double
        var hwmMB: Double
    }

    var date: String
    var machine: String
    var eventsPerMessage: Int
    var connections: Int
    var brokerCeiling: ThroughputResult?
    var steps: [Step] = []
    var saturation: Saturation?
    var memory: [Memory] = []
    var chart: String?
    var notes: [String] = []

    var markdown: String {
        func f(_ value: Double, _ digits: Int = 0) -> String { String(format: "%.\(digits)f", value) }
        var lines = [
            "## End to end: MLLP → ingest → deid → infer → notify (\(date))", "",
            "Machine: \(machine). Workload: ORU^R01 vitals panels of \(eventsPerMessage) OBX (\(eventsPerMessage) events) "
                + "over \(connections) MLLP connections; half the patients reach NEWS2 14 from their second panel (one "
                + "raised alert each). Latency: from the time each message was due (open-loop schedule) to the arrival "
                + "of the risk records / raised alert it caused at the bench's own consumer; traces matched through "
                + "`ingest.messages.trace_id`.", "",
            "### Latency at fixed offered load", "",
            "| offered ev/s | achieved ev/s | catch-up s | risk records | risk p50 / p95 / p99 / max ms | alerts | alert p50 / p95 / p99 / max ms |",
            "|---:|---:|---:|---:|---|---:|---|",
        ]
        for step in steps {
            let r = step.riskLatency, a = step.alertLatency
            lines.append(
                "| \(f(step.offeredEventsPerSecond))\(step.saturated ? " (saturated)" : "") | \(f(step.achievedEventsPerSecond)) "
                    + "| \(f(step.catchUpSeconds, 1)) | \(r.count) | \(f(r.p50, 1)) / \(f(r.p95, 1)) / \(f(r.p99, 1)) / \(f(r.max, 1)) "
                    + "| \(a.count)/\(step.alertsExpected) | \(f(a.p50, 1)) / \(f(a.p95, 1)) / \(f(a.p99, 1)) / \(f(a.max, 1)) |")
        }
        if let s = saturation {
            lines += [
                "", "### Saturation (\(s.events) events as fast as ingest acknowledges)", "",
                "End to end: **\(f(s.endToEndEventsPerSecond)) events/s** (\(f(s.seconds, 1)) s until notify had decided all "
                    + "\(f(s.riskRecords)) risk records); ingest acknowledged \(s.acknowledged)/\(s.messages) messages at "
                    + "\(f(s.ingestAckedEventsPerSecond)) events/s.", "",
                "| stage | counted | sustained /s | CPU (100% = one core) |", "|---|---|---:|---:|",
            ]
            for stage in s.stages {
                lines.append("| \(stage.service) | \(stage.unit) | \(f(stage.perSecond)) | \(f(stage.cpuPercent))% |")
            }
            lines.append("| tansu broker | | | \(f(s.brokerCPUPercent))% |")
            lines.append("| PostgreSQL (all backends of the cluster) | | | \(f(s.postgresCPUPercent))% |")
            lines.append("| vigil-bench itself (sender, probe, polling) | | | \(f(s.benchCPUPercent))% |")
            lines.append("| anything else on the machine | | | \(f(max(0, s.otherCPUPercent)))% |")
            lines.append("| whole machine | | | \(f(s.machineBusyPercent))% of 200% |")
            lines += ["", "PostgreSQL connections per role during the run (share of samples; `idle` ones left out):"]
            for (role, states) in s.databaseStates.sorted(by: { $0.key < $1.key }) {
                let top = states.sorted { $0.value > $1.value }.prefix(4).map { "\($0.key.isEmpty ? "?" : $0.key) \(f(100 * $0.value))%" }
                lines.append("- \(role): " + (top.isEmpty ? "idle" : top.joined(separator: ", ")))
            }
        }
        if let c = brokerCeiling {
            lines += [
                "", "Bare broker in the same run (ceiling; 100-byte records, one partition, the `kafka` bench's code): "
                    + "produce \(f(c.producePerSecond)) msg/s acknowledged, consume \(f(c.consumePerSecond)) msg/s.",
            ]
        }
        lines += ["", "### Peak memory per service", "", "| service | peak RSS MB | VmHWM MB |", "|---|---:|---:|"]
        for m in memory { lines.append("| vigil-\(m.service) | \(f(m.peakRSSMB, 1)) | \(f(m.hwmMB, 1)) |") }
        lines += [
            "", "Targets: p99 ingest→alert < 100 ms at 2,000 events/s; ≥ 20,000 events/s end to end; < 100 MB RSS per service.",
            chart.map { "Chart: \($0)" } ?? "Chart: not written (matplotlib unavailable).",
        ]
        lines += notes
        return lines.joined(separator: "\n")
    }

    func write(to folder: URL) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data((markdown + "\n").utf8).write(to: folder.appendingPathComponent("e2e.md"))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: folder.appendingPathComponent("e2e.json"))
    }
}
