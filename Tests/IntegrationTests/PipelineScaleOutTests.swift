import Foundation
import Inference
import Ingestion
import Testing
import VigilKafka
import VigilModelCore

extension PipelineTests {
    /// Two vigil-infer processes in one consumer group: both take partitions of `clinical.events.v1`, every
    /// score input is stored, and each patient's records come out in the order of their inputs.
    @Suite struct PipelineScaleOutTests {
        @Test func twoInferInstancesSplitPartitionsAndKeepPerPatientOrder() async throws {
            try await PipelineHarness.with(partitions: 4) { pipeline in
                try await pipeline.startAll()
                let second = try await pipeline.startSecond(.infer)
                try await TopicTap.reading(pipeline.kafka, topics: [Topics.events, Topics.risk]) { tap in
                    let stays = try PipelineMessages.stays(4 * PipelineHarness.scale)
                    let port = pipeline.mllpPort
                    try await withThrowingTaskGroup(of: [String].self) { group in
                        for stay in stays {
                            group.addTask {
                                var codes: [String] = []
                                // One message per exchange, each stay in order, the stays side by side.
                                for message in stay {
                                    codes += try await MLLPClient.codes(port: port, messages: [message])
                                    try await Task.sleep(for: .milliseconds(50))
                                }
                                return codes
                            }
                        }
                        for try await codes in group { #expect(codes.allSatisfy { $0 == "AA" }) }
                    }
                    let inputCodes = Set(SepsisColumns.indexByLOINC.keys)
                    var missing = -1
                    let stored = try await pipeline.wait(
                        timeout: .seconds(150 * PipelineHarness.scale), interval: .seconds(1)
                    ) {
                        let inputs = Set(
                            tap.messages(on: Topics.events).compactMap { message -> String? in
                                guard
                                    let event = try? ClinicalEvent.decode(
                                        headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value),
                                    inputCodes.contains(event.code.code)
                                else { return nil }
                                return event.id.rawValue
                            })
                        let observations = Set(try await pipeline.strings("SELECT event_id FROM infer.observations"))
                        missing = inputs.subtracting(observations).count
                        let records = try await pipeline.count("SELECT count(*)::int FROM infer.risk_records")
                        return !inputs.isEmpty && missing == 0 && Set(tap.ids(on: Topics.risk)).count == records
                    }
                    #expect(stored, "every score input stored and every record published (\(missing) inputs missing)")

                    let first = await PipelineSettlement.counter(pipeline, .infer, "vigil_stage_records_total") ?? 0
                    let other =
                        await ServiceProcess.get(port: second, path: "/metrics").map { result in
                            result.body.split(separator: "\n").filter { $0.hasPrefix("vigil_stage_records_total") }
                                .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0, +)
                        } ?? 0
                    #expect(first > 0 && other > 0, "both instances handled events: \(first) and \(Int(other))")

                    // Per patient and score, records appear in event-time order (revisions of one time in order).
                    var last: [String: (Date, Int)] = [:]
                    var disorders: [String] = []
                    for message in tap.messages(on: Topics.risk) {
                        let record = try RiskRecord.decode(
                            headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value)
                        let key = record.patient.rawValue + " " + record.scoreName
                        let position = (record.eventTime ?? .distantPast, record.revision ?? 1)
                        if let previous = last[key],
                            position.0 < previous.0 || (position.0 == previous.0 && position.1 < previous.1)
                        {
                            disorders.append(
                                "\(record.scoreName): \(previous.0) then \(position.0) at offset \(message.offset)")
                        }
                        last[key] = position
                    }
                    #expect(disorders.isEmpty, "records out of order: \(disorders.prefix(3))")
                }
            }
        }
    }
}
