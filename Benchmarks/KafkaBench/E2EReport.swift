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
        /// From a message's first risk record to its raised alert: notify's share.
        var riskToAlertLatency: Latency
        var alertsExpected: Int
        /// CPU (100% = one core) used by other processes on the machine during the step.
        var otherCPUPercent: Double
    }

    struct Stage: Codable {
        var service: String
        var unit: String
        var count: Double
        var perSecond: Double
        /// Share of one core the process used while the stage was busy (200% = both cores).
        var cpuPercent: Double
        var cpuMillisecondsPerItem: Double
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
        /// Backends connected to this run's database.
        var postgresCPUPercent: Double
        /// The cluster's other processes: WAL writer, checkpointer, other databases' backends (can come out
        /// negative when other databases' backends exit during the run: their CPU leaves the sum).
        var postgresRestCPUPercent: Double
        /// The four services over the whole run (from the first send until notify decided the last record).
        var servicesCPUPercent: Double
        /// The bench itself: MLLP sender, probe consumer, /metrics polling.
        var benchCPUPercent: Double
        var machineBusyPercent: Double
        /// Per PostgreSQL role, the share of samples its connections spent in each state / wait event.
        var databaseStates: [String: [String: Double]]

        /// Machine load outside the stack and the bench (someone else's build or tests on the same machine).
        var otherCPUPercent: Double {
            machineBusyPercent - servicesCPUPercent - brokerCPUPercent - postgresCPUPercent - postgresRestCPUPercent
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
            "Other load: CPU (100% = one core) used meanwhile by processes outside the bench, its stack and PostgreSQL.",
            "",
            "| offered ev/s | achieved ev/s | catch-up s | risk records | risk p50 / p95 / p99 / max ms | alerts | alert p50 / p95 / p99 / max ms | risk→alert p50 / p99 ms | other load |",
            "|---:|---:|---:|---:|---|---:|---|---|---:|",
        ]
        for step in steps {
            let r = step.riskLatency, a = step.alertLatency
            lines.append(
                "| \(f(step.offeredEventsPerSecond))\(step.saturated ? " (saturated)" : "") | \(f(step.achievedEventsPerSecond)) "
                    + "| \(f(step.catchUpSeconds, 1)) | \(r.count) | \(f(r.p50, 1)) / \(f(r.p95, 1)) / \(f(r.p99, 1)) / \(f(r.max, 1)) "
                    + "| \(a.count)/\(step.alertsExpected) | \(f(a.p50, 1)) / \(f(a.p95, 1)) / \(f(a.p99, 1)) / \(f(a.max, 1)) "
                    + "| \(f(step.riskToAlertLatency.p50, 1)) / \(f(step.riskToAlertLatency.p99, 1)) "
                    + "| \(f(step.otherCPUPercent))% |")
        }
        if let s = saturation {
            lines += [
                "", "### Saturation (\(s.events) events as fast as ingest acknowledges)", "",
                "End to end: **\(f(s.endToEndEventsPerSecond)) events/s** (\(f(s.seconds, 1)) s until notify had decided all "
                    + "\(f(s.riskRecords)) risk records); ingest acknowledged \(s.acknowledged)/\(s.messages) messages at "
                    + "\(f(s.ingestAckedEventsPerSecond)) events/s.", "",
                "Per stage, over its own busy window (CPU: 100% = one core; CPU ms per item = CPU time / items):", "",
                "| stage | counted | sustained /s | CPU | CPU ms per item |", "|---|---|---:|---:|---:|",
            ]
            for stage in s.stages {
                lines.append(
                    "| \(stage.service) | \(stage.unit) | \(f(stage.perSecond)) | \(f(stage.cpuPercent))% "
                        + "| \(f(stage.cpuMillisecondsPerItem, 2)) |")
            }
            let perEvent = { (percent: Double) in f(percent / 100 / s.endToEndEventsPerSecond * 1000, 2) }
            lines += [
                "", "Over the whole run (CPU ms per event = CPU time / events sent):", "",
                "| process | CPU | CPU ms per event |", "|---|---:|---:|",
                "| the four services | \(f(s.servicesCPUPercent))% | \(perEvent(s.servicesCPUPercent)) |",
                "| tansu broker | \(f(s.brokerCPUPercent))% | \(perEvent(s.brokerCPUPercent)) |",
                "| PostgreSQL backends of this run's database | \(f(s.postgresCPUPercent))% | \(perEvent(s.postgresCPUPercent)) |",
                "| PostgreSQL, the rest of the shared cluster (WAL writer, other databases) | \(f(max(0, s.postgresRestCPUPercent)))% | |",
                "| vigil-bench itself (sender, probe, polling) | \(f(s.benchCPUPercent))% | |",
                "| anything else on the machine | \(f(max(0, s.otherCPUPercent)))% | |",
                "| whole machine | \(f(s.machineBusyPercent))% of 200% | |",
            ]
            lines += ["", "PostgreSQL connections per role during the run (share of samples; `idle` ones left out):"]
            for (role, states) in s.databaseStates.sorted(by: { $0.key < $1.key }) {
                let top = states.sorted { $0.value > $1.value }.prefix(4).map {
                    "\($0.key.isEmpty ? "?" : $0.key) \(f(100 * $0.value))%"
                }
                lines.append("- \(role): " + (top.isEmpty ? "idle" : top.joined(separator: ", ")))
            }
        }
        if let c = brokerCeiling {
            lines += [
                "",
                "Bare broker in the same run (ceiling; 100-byte records, one partition, the `kafka` bench's code): "
                    + "produce \(f(c.producePerSecond)) msg/s acknowledged, consume \(f(c.consumePerSecond)) msg/s.",
            ]
        }
        lines += ["", "### Peak memory per service", "", "| service | peak RSS MB | VmHWM MB |", "|---|---:|---:|"]
        for m in memory { lines.append("| vigil-\(m.service) | \(f(m.peakRSSMB, 1)) | \(f(m.hwmMB, 1)) |") }
        lines += [
            "",
            "Targets: p99 ingest→alert < 100 ms at 2,000 events/s; ≥ 20,000 events/s end to end; < 100 MB RSS per service.",
            chart.map { "Chart: \($0)" } ?? "Chart: not written (matplotlib unavailable).",
        ]
        lines += [
            "",
            "How: a private tansu broker (memory storage) and a fresh database, dropped afterwards; `vigil migrate`, then",
            "the four release-built services as `make run` starts them (each its own PostgreSQL role and ports; logs in",
            "`e2e-logs/`). Latency counts from each message's due time on the bench's clock, not from",
            "`ingest.messages.received_at` (that table only maps trace ids to control ids), so it includes the MLLP hop",
            "and any queueing before ingest. Stage rates: deltas of each service's /metrics counter sampled every 0.5 s;",
            "CPU and RSS from /proc (RSS peak: the highest VmRSS sampled, or VmHWM).",
        ]
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
