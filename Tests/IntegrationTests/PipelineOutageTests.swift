import Foundation
import Synchronization
import Ingestion
import Testing
import VigilHL7
import VigilModelCore

extension PipelineTests {
    /// ICU stays stream in over MLLP from senders that resend an exchange until it is accepted (what an interface
    /// engine does); vigil-ingest is killed with SIGKILL and restarted, then PostgreSQL goes away and comes back.
    /// Every service reports not-ready while the database is gone, ready again after, and once all settles nothing
    /// is lost and no alert is raised twice.
    @Suite struct PipelineOutageTests {
        @Test func ingestKilledAndPostgresLostMidStreamLoseNothing() async throws {
            try await PipelineHarness.with { pipeline in
                try await pipeline.startAll()
                let topics = [Topics.identifiedEvents, Topics.events, Topics.risk, Topics.alerts]
                try await TopicTap.reading(pipeline.kafka, topics: topics) { tap in
                    let stays = try PipelineMessages.stays(4 * PipelineHarness.scale)
                    let port = pipeline.mllpPort
                    let progress = Progress()
                    let exchanges = stays.map { ($0.count + 1) / 2 }.reduce(0, +)
                    try await withThrowingTaskGroup(of: Int.self) { group in
                        for stay in stays { group.addTask { try await Self.send(stay, port: port, progress: progress) } }
                        try await Task.sleep(for: .milliseconds(Int.random(in: 500...1500)))
                        await pipeline.kill9(.ingest)
                        #expect(!pipeline.isRunning(.ingest), "vigil-ingest was killed")
                        try await Task.sleep(for: .milliseconds(500))
                        try await pipeline.restart(.ingest)

                        try await Task.sleep(for: .milliseconds(Int.random(in: 500...1500)))
                        let acceptedBeforeOutage = progress.accepted.load(ordering: .relaxed)
                        var notReady: Set<PipelineHarness.Service> = []
                        try await pipeline.postgresOutage {
                            _ = try await pipeline.wait(timeout: .seconds(30), interval: .milliseconds(250)) {
                                for service in PipelineHarness.Service.allCases where !notReady.contains(service) {
                                    if await pipeline.readyStatus(service) == 503 { notReady.insert(service) }
                                }
                                return notReady.count == PipelineHarness.Service.allCases.count
                            }
                        }
                        #expect(
                            notReady == Set(PipelineHarness.Service.allCases),
                            "not-ready while PostgreSQL was gone: \(notReady.map(\.rawValue).sorted())")
                        for service in PipelineHarness.Service.allCases {
                            try await pipeline.waitReady(service, timeout: .seconds(60))
                        }
                        var refused = 0
                        for try await count in group { refused += count }
                        #expect(refused == 0, "\(refused) exchanges never accepted")
                        // Both faults hit a live stream: exchanges were refused or cut and sent again, and the
                        // database went away with exchanges still to send.
                        #expect(progress.retries.load(ordering: .relaxed) > 0, "some exchange was sent again")
                        #expect(
                            acceptedBeforeOutage < exchanges,
                            "the outage began mid-stream (\(acceptedBeforeOutage) of \(exchanges) exchanges accepted)")
                    }
                    // Every message was accepted, so its events (ids derive from the message) must all be there.
                    let mapper = HL7Mapper()
                    var expected: [String: String] = [:]  // event id → MSH-10 of its message
                    for bytes in stays.joined() {
                        let message = try HL7Message(parsing: bytes)
                        for event in try mapper.map(message).events {
                            expected[event.id.rawValue] = message.header.controlID ?? "?"
                        }
                    }
                    var missing: [String: String] = expected
                    _ = try await pipeline.wait(timeout: .seconds(60), interval: .seconds(1)) {
                        let seen = Set(tap.ids(on: Topics.identifiedEvents))
                        missing = expected.filter { !seen.contains($0.key) }
                        return missing.isEmpty
                    }
                    guard missing.isEmpty else {
                        let messages: [String] = Array(Set(missing.values)).sorted()
                        Issue.record(
                            """
                            \(missing.count) of \(expected.count) events never on the identified topic, from messages \
                            \(messages.prefix(10).joined(separator: ", "))
                            """)
                        return
                    }
                    try await PipelineSettlement.check(
                        pipeline, tap, published: expected.count, label: "after an ingest SIGKILL and a PostgreSQL outage")
                }
            }
        }

        /// Sends a stay two messages per exchange, each exchange again until both are accepted (a dropped
        /// connection or an AE is retried; an AR would be a bug here). Returns the exchanges never accepted.
        static func send(_ messages: [[UInt8]], port: Int, progress: Progress) async throws -> Int {
            var refused = 0
            for start in stride(from: 0, to: messages.count, by: 2) {
                let exchange = Array(messages[start..<min(start + 2, messages.count)])
                let deadline = ContinuousClock.now + .seconds(120)
                var accepted = false
                while !accepted && ContinuousClock.now < deadline {
                    let codes = try? await MLLPClient.codes(port: port, messages: exchange)
                    accepted = codes == Array(repeating: "AA", count: exchange.count)
                    progress.record(accepted: accepted)
                    try await Task.sleep(for: .milliseconds(accepted ? 200 : 300))
                }
                if !accepted { refused += 1 }
            }
            return refused
        }

        /// Exchanges accepted and attempts that were not, across the senders.
        final class Progress: Sendable {
            let accepted = Atomic(0)
            let retries = Atomic(0)

            func record(accepted ok: Bool) {
                if ok { accepted.add(1, ordering: .relaxed) } else { retries.add(1, ordering: .relaxed) }
            }
        }
    }
}
