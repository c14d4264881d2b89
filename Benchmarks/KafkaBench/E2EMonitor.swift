import Foundation

/// Samples every half second, beside the traffic: each service's stage counter (a timeline, for per-stage
/// throughput) and its memory, so the peak RSS is seen while the load is on.
final class E2EMonitor: @unchecked Sendable {
    struct Sample {
        var at: ContinuousClock.Instant
        var counts: StageCounters.Counts
        /// CPU seconds so far, per service.
        var cpu: [E2EStack.Service: Double]
    }

    /// CPU seconds so far of each service, the broker and PostgreSQL, and the machine's busy/total jiffies.
    struct CPU {
        var services: [E2EStack.Service: Double] = [:]
        var broker = 0.0
        /// The backends serving this run's database, and every postgres process of the cluster.
        var postgres = 0.0
        var postgresAll = 0.0
        var bench = 0.0
        var machineBusy = 0.0
        var machineTotal = 0.0

        /// Share of a core (of 200%) the machine spent outside the stack, PostgreSQL and the bench between two reads:
        /// someone else's build or tests on the same machine.
        static func outside(_ a: CPU, _ b: CPU) -> Double {
            let wall = (b.machineTotal - a.machineTotal) / 2 / Double(sysconf(Int32(_SC_CLK_TCK)))
            guard wall > 0 else { return 0 }
            let ours =
                E2EStack.Service.allCases.reduce(0) { $0 + (b.services[$1] ?? 0) - (a.services[$1] ?? 0) }
                + b.broker - a.broker + b.postgresAll - a.postgresAll + b.bench - a.bench
            let busy = 200 * (b.machineBusy - a.machineBusy) / (b.machineTotal - a.machineTotal)
            return max(0, busy - 100 * ours / wall)
        }
    }

    // Guarded by `lock`: written by `run`, read between phases.
    private let lock = NSLock()
    private var timeline: [Sample] = []
    private var peakRSS: [E2EStack.Service: Int] = [:]
    private let stack: E2EStack
    let waits: E2EDatabaseWaits

    init(stack: E2EStack, waits: E2EDatabaseWaits) {
        self.stack = stack
        self.waits = waits
    }

    func run() async {
        while !Task.isCancelled {
            await waits.sample()
            let counts = await StageCounters.read(stack)
            let procs = stack.processes.compactMapValues { ProcSample.read(pid: $0.processIdentifier) }
            lock.withLock {
                timeline.append(Sample(at: .now, counts: counts, cpu: procs.mapValues(\.cpu)))
                peakRSS.merge(procs.mapValues(\.rss)) { Swift.max($0, $1) }
            }
            try? await Task.sleep(for: .milliseconds(250))
            await waits.sample()
            try? await Task.sleep(for: .milliseconds(250))
        }
    }

    var latest: StageCounters.Counts { lock.withLock { timeline.last?.counts ?? .init() } }

    func samples(since: ContinuousClock.Instant) -> [Sample] { lock.withLock { timeline.filter { $0.at >= since } } }

    /// Peak RSS in MB: the larger of the highest sampled VmRSS and the kernel's high-water mark (VmHWM).
    func memory() -> [E2EStack.Service: (peakMB: Double, hwmMB: Double)] {
        let sampled = lock.withLock { peakRSS }
        var result: [E2EStack.Service: (Double, Double)] = [:]
        for (service, process) in stack.processes {
            let hwm = Double(ProcSample.read(pid: process.processIdentifier)?.hwm ?? 0) / 1024
            result[service] = (Swift.max(Double(sampled[service] ?? 0) / 1024, hwm), hwm)
        }
        return result
    }

    func cpu(databasePIDs: [Int32]) -> CPU {
        var cpu = CPU()
        for (service, process) in stack.processes {
            cpu.services[service] = ProcSample.read(pid: process.processIdentifier)?.cpu ?? 0
        }
        cpu.broker = stack.broker.flatMap { ProcSample.read(pid: $0.processIdentifier)?.cpu } ?? 0
        cpu.postgres = ProcSample.postgresCPU(pids: databasePIDs)
        cpu.postgresAll = ProcSample.postgresCPU()
        cpu.bench = ProcSample.read(pid: getpid())?.cpu ?? 0
        (cpu.machineBusy, cpu.machineTotal) = ProcSample.machine()
        return cpu
    }
}
