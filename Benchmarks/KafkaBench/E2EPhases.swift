import Foundation
import VigilPostgres

/// The bench's phases against a running stack: a warm-up, one step per offered load, the saturation run.
final class E2EPhases {
    let stack: E2EStack
    let monitor: E2EMonitor
    let probe: E2EProbe
    let pool: PostgresPool
    let sender: E2ESender
    let senderName = "BENCH" + UUID().uuidString.prefix(6)
    /// Raised alerts the probe should have seen so far (one per deteriorating patient of every phase).
    private var raisedExpected = 0

    init(stack: E2EStack, monitor: E2EMonitor, probe: E2EProbe, pool: PostgresPool, connections: Int) {
        self.stack = stack
        self.monitor = monitor
        self.probe = probe
        self.pool = pool
        sender = E2ESender(port: stack.mllpPort, connections: connections)
    }

    private func workload(_ phase: String, events: Int) -> E2EWorkload {
        let messages = max(8, events / E2EWorkload.eventsPerMessage)
        // Clinical times up to now: the last round is the newest data the patient has.
        let start = Date().addingTimeInterval(-Double(E2EWorkload.rounds) * 60)
        return E2EWorkload(sender: senderName, phase: phase, messages: messages, start: start)
    }

    /// Until every stage has handled this phase's events, notify has decided every risk record infer
    /// produced and the probe has read them all (and the expected alerts, or 3 s more without them).
    /// The instant that first held, or nil after `timeout`.
    func caughtUp(base: StageCounters.Counts, events: Int, timeout: Duration) async -> ContinuousClock.Instant? {
        let deadline = ContinuousClock.now + timeout
        var allButAlerts: ContinuousClock.Instant?
        while ContinuousClock.now < deadline {
            let counts = await StageCounters.read(stack)
            let seen = probe.counts
            let stages =
                (counts.stages[.infer] ?? 0) - (base.stages[.infer] ?? 0) >= Double(events)
                && (counts.stages[.notify] ?? 0) >= counts.riskRecords && Double(seen.risks) >= counts.riskRecords
            if stages {
                let now = ContinuousClock.now
                if seen.raised >= raisedExpected { return allButAlerts ?? now }
                if let since = allButAlerts, now - since > .seconds(3) { return since }
                allButAlerts = allButAlerts ?? now
            } else {
                allButAlerts = nil
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return nil
    }

    func warmUp() async throws {
        let work = workload("warm", events: 500)
        let base = await StageCounters.read(stack)
        _ = try await sender.send(work, rate: nil)
        raisedExpected += work.alertingPatients
        guard await caughtUp(base: base, events: work.events, timeout: .seconds(90)) != nil else {
            throw BenchFailure("the warm-up never came out of the pipeline: see \(stack.logs.path)")
        }
    }

    func step(eventsPerSecond rate: Double, seconds: Double) async throws -> E2EReport.Step {
        let work = workload("r\(Int(rate))", events: Int(rate * seconds))
        let messageRate = rate / Double(E2EWorkload.eventsPerMessage)
        let base = await StageCounters.read(stack)
        let cpu0 = monitor.cpu(databasePIDs: [])
        let sent = try await sender.send(work, rate: messageRate)
        raisedExpected += work.alertingPatients
        let scheduleEnd = sent.began + .seconds(Double(work.messages) / messageRate)
        let done = await caughtUp(base: base, events: work.events, timeout: .seconds(max(30, seconds * 2)))
        let cpu1 = monitor.cpu(databasePIDs: [])
        let (risk, alert, riskToAlert) = probe.latencies(due: sent.due, traces: try await E2EProbe.traces(pool: pool))
        let end = risk.last ?? done ?? .now
        let achieved = Double(work.events) / (end - sent.began).seconds
        let catchUp = ((done ?? .now) - scheduleEnd).seconds
        if done == nil { _ = await caughtUp(base: base, events: work.events, timeout: .seconds(90)) }
        return E2EReport.Step(
            offeredEventsPerSecond: rate, seconds: seconds, messages: work.messages, events: work.events,
            acknowledged: sent.accepted, achievedEventsPerSecond: achieved, catchUpSeconds: catchUp,
            saturated: done == nil || catchUp > 5 || achieved < 0.9 * rate, riskLatency: risk, alertLatency: alert,
            riskToAlertLatency: riskToAlert, alertsExpected: work.alertingPatients,
            otherCPUPercent: E2EMonitor.CPU.outside(cpu0, cpu1))
    }

    func saturate(events: Int) async throws -> E2EReport.Saturation {
        let work = workload("sat", events: events)
        let base = await StageCounters.read(stack)
        let backends = await monitor.waits.backendPIDs()
        let cpu0 = monitor.cpu(databasePIDs: backends)
        monitor.waits.record(true)
        let sent = try await sender.send(work, rate: nil)
        raisedExpected += work.alertingPatients
        let done = await caughtUp(base: base, events: work.events, timeout: .seconds(180)) ?? .now
        let cpu1 = monitor.cpu(databasePIDs: backends)
        monitor.waits.record(false)
        let seconds = (done - sent.began).seconds
        let final = await StageCounters.read(stack)
        let timeline = monitor.samples(since: sent.began - .seconds(1))
        let units: [E2EStack.Service: String] = [
            .ingest: "events published (MLLP acknowledged)", .deid: "events de-identified", .infer: "events scored",
            .notify: "risk records decided",
        ]
        let stages = E2EStack.Service.allCases.map { service in
            let from = base.stages[service] ?? 0
            let to = final.stages[service] ?? 0
            // Its active window: from the last sample before the stage moved to the first that shows its final count.
            let first = timeline.last { ($0.counts.stages[service] ?? 0) <= from }
            let last = timeline.first { ($0.counts.stages[service] ?? 0) >= to }
            let window = max(((last?.at ?? done) - (first?.at ?? sent.began)).seconds, 0.001)
            let cpu =
                (last?.cpu[service] ?? cpu1.services[service] ?? 0)
                - (first?.cpu[service] ?? cpu0.services[service] ?? 0)
            return E2EReport.Stage(
                service: "vigil-\(service.rawValue)", unit: units[service]!, count: to - from,
                perSecond: (to - from) / window,
                cpuPercent: 100 * cpu / window, cpuMillisecondsPerItem: 1000 * cpu / max(to - from, 1))
        }
        return E2EReport.Saturation(
            events: work.events, messages: work.messages, acknowledged: sent.accepted,
            ingestAckedEventsPerSecond: Double(sent.accepted * E2EWorkload.eventsPerMessage)
                / (sent.finished - sent.began).seconds,
            endToEndEventsPerSecond: Double(work.events) / seconds, seconds: seconds,
            riskRecords: final.riskRecords - base.riskRecords, stages: stages,
            brokerCPUPercent: 100 * (cpu1.broker - cpu0.broker) / seconds,
            postgresCPUPercent: 100 * (cpu1.postgres - cpu0.postgres) / seconds,
            postgresRestCPUPercent: 100 * (cpu1.postgresAll - cpu0.postgresAll - cpu1.postgres + cpu0.postgres)
                / seconds,
            servicesCPUPercent: 100
                * E2EStack.Service.allCases.reduce(0) {
                    $0 + (cpu1.services[$1] ?? 0) - (cpu0.services[$1] ?? 0)
                } / seconds,
            benchCPUPercent: 100 * (cpu1.bench - cpu0.bench) / seconds,
            machineBusyPercent: 200 * (cpu1.machineBusy - cpu0.machineBusy)
                / max(cpu1.machineTotal - cpu0.machineTotal, 1),
            databaseStates: monitor.waits.summary())
    }
}
