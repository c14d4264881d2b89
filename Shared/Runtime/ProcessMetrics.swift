import Foundation
import Metrics

/// The standard Prometheus process gauges (resident memory, CPU seconds, open files, start time), read
/// from /proc at scrape time, plus Vigil's readiness.
enum ProcessMetrics {
    static let startTime = Date().timeIntervalSince1970

    static func update(readiness: Readiness) {
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        {
            Gauge(label: "process_resident_memory_bytes").record(pages * Int(sysconf(Int32(_SC_PAGESIZE))))
        }
        var usage = rusage()
        if getrusage(RUSAGE_SELF.rawValue, &usage) == 0 {
            let seconds = Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
                + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
            Gauge(label: "process_cpu_seconds_total").record(seconds)
        }
        if let files = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            Gauge(label: "process_open_fds").record(files.count)
        }
        Gauge(label: "process_start_time_seconds").record(startTime)
        Gauge(label: "vigil_ready").record(readiness.isReady ? 1 : 0)
    }
}
