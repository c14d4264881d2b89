import Foundation
import Inference
import Ingestion
import Testing
import VigilKafka
import VigilModelCore
import VigilPHI

extension PipelineTests {
    /// ICU stays stream in over MLLP while vigil-deid, then vigil-infer, then vigil-notify are killed with SIGKILL
    /// at a random moment and restarted. Once all settles: every event ingest published is de-identified and read
    /// by inference, every risk record is published and decided, and no alert is raised twice.
    @Suite struct PipelineFaultTests {
        @Test func sigkillMidStreamLosesNoEventAndDuplicatesNoAlert() async throws {
            try await PipelineHarness.with { pipeline in
                try await pipeline.startAll()
                let topics = [Topics.identifiedEvents, Topics.events, Topics.risk, Topics.alerts]
                try await TopicTap.reading(pipeline.kafka, topics: topics) { tap in
                    try await stream(pipeline, stays: 4 * PipelineHarness.scale)
                    let published = try #require(
                        await PipelineSettlement.counter(pipeline, .ingest, "vigil_ingest_events_published_total"))
                    try await PipelineSettlement.check(pipeline, tap, published: published, label: "after SIGKILLs")
                }
            }
        }

        /// Sends the stays in three phases (each stay's next third, stays side by side, a few messages at a
        /// time); during phase k the k-th victim is killed at a random moment and restarted, then killed and
        /// restarted once more while it catches up.
        private func stream(_ pipeline: PipelineHarness, stays count: Int) async throws {
            let stays = try PipelineMessages.stays(count)
            let victims: [PipelineHarness.Service] = [.deid, .infer, .notify]
            let port = pipeline.mllpPort
            for (phase, victim) in victims.enumerated() {
                let parts = stays.map { messages in
                    let size = (messages.count + victims.count - 1) / victims.count
                    return Array(messages.dropFirst(phase * size).prefix(size))
                }
                try await withThrowingTaskGroup(of: [String].self) { group in
                    for part in parts where !part.isEmpty {
                        group.addTask {
                            var codes: [String] = []
                            for start in stride(from: 0, to: part.count, by: 2) {
                                codes += try await MLLPClient.codes(
                                    port: port, messages: Array(part[start..<min(start + 2, part.count)]))
                                try await Task.sleep(for: .milliseconds(200))
                            }
                            return codes
                        }
                    }
                    try await Task.sleep(for: .milliseconds(Int.random(in: 200...1500)))
                    await pipeline.kill9(victim)
                    #expect(!pipeline.isRunning(victim), "\(victim.executable) was killed")
                    try await pipeline.restart(victim)
                    // Again while it catches up on what queued while it was down: as soon as it has handled a
                    // batch, a random moment later (most likely mid-batch).
                    _ = try await pipeline.wait(timeout: .seconds(30), interval: .milliseconds(50)) {
                        (await PipelineSettlement.counter(pipeline, victim, "vigil_stage_records_total") ?? 0) > 0
                    }
                    try await Task.sleep(for: .milliseconds(Int.random(in: 0...300)))
                    await pipeline.kill9(victim)
                    try await pipeline.restart(victim)
                    for try await codes in group {
                        #expect(codes.allSatisfy { $0 == "AA" }, "every message accepted: \(codes)")
                    }
                }
            }
        }
    }
}
