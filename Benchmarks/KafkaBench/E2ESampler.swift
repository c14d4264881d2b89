import AsyncHTTPClient
import Foundation
import NIOCore

/// Reads what the services did while the bench runs: their stage counters from /metrics and their memory and
/// CPU from /proc, sampled every half second.
struct ProcSample {
    /// kB, from /proc/<pid>/status.
    var rss = 0
    var hwm = 0
    /// utime + stime, seconds.
    var cpu = 0.0

    static func read(pid: Int32) -> ProcSample? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)
        else { return nil }
        var sample = ProcSample()
        for line in status.split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard fields.count >= 2, let kb = Int(fields[1]) else { continue }
            if fields[0] == "VmRSS:" { sample.rss = kb }
            if fields[0] == "VmHWM:" { sample.hwm = kb }
        }
        // Fields after the parenthesised command name: state is field 3, utime 14 and stime 15.
        if let close = stat.lastIndex(of: ")") {
            let rest = stat[stat.index(after: close)...].split(separator: " ")
            if rest.count > 13, let user = Double(rest[11]), let system = Double(rest[12]) {
                sample.cpu = (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
            }
        }
        return sample
    }

    /// CPU seconds of every process named `postgres` (the shared cluster: other users' load counts too).
    static func postgresCPU() -> Double {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return postgresCPU(pids: entries.compactMap(Int32.init))
    }

    static func postgresCPU(pids: [Int32]) -> Double {
        pids.reduce(0) { total, pid in
            let comm = (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8)) ?? ""
            return comm.hasPrefix("postgres") ? total + (read(pid: pid)?.cpu ?? 0) : total
        }
    }

    /// Busy and total jiffies of the whole machine (/proc/stat).
    static func machine() -> (busy: Double, total: Double) {
        guard let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8),
            let line = stat.split(separator: "\n").first
        else { return (0, 0) }
        let values = line.split(separator: " ").dropFirst().compactMap { Double($0) }
        let idle = values.count > 4 ? values[3] + values[4] : 0
        let total = values.reduce(0, +)
        return (total - idle, total)
    }
}

/// Stage counters: events (or risk records) each service has fully handled so far.
enum StageCounters {
    /// The counter per service: ingest publishes events, deid de-identifies (or quarantines) them, infer reads
    /// them, notify decides risk records.
    static let names: [E2EStack.Service: [String]] = [
        .ingest: ["vigil_ingest_events_published_total"],
        .deid: ["vigil_deid_events_out_total", "vigil_deid_events_quarantined_total"],
        .infer: ["vigil_infer_events_in_total"],
        .notify: ["vigil_notify_risk_records_total"],
    ]

    /// Per service its counter, plus `riskRecords`: the risk records infer produced.
    struct Counts {
        var stages: [E2EStack.Service: Double] = [:]
        var riskRecords = 0.0
    }

    static func read(_ stack: E2EStack) async -> Counts {
        var counts = Counts()
        for service in E2EStack.Service.allCases {
            guard let text = await get(port: stack.httpPorts[service]!, path: "/metrics") else { continue }
            counts.stages[service] = sum(text, names[service]!)
            if service == .infer { counts.riskRecords = sum(text, ["vigil_infer_risk_records_total"]) }
        }
        return counts
    }

    static func sum(_ text: String, _ names: [String]) -> Double {
        var total = 0.0
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            for name in names where line.hasPrefix(name) {
                let rest = line.dropFirst(name.count)
                guard rest.first == "{" || rest.first == " " else { continue }
                total += Double(rest.split(separator: " ").last ?? "") ?? 0
            }
        }
        return total
    }

    static func get(port: Int, path: String) async -> String? {
        guard
            let response = try? await HTTPClient.shared.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(5))
        else { return nil }
        guard response.status == .ok, let body = try? await response.body.collect(upTo: 8 << 20) else {
            return response.status == .ok ? "" : nil
        }
        return String(buffer: body)
    }
}
