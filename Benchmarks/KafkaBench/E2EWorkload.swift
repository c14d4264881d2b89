import Foundation
import Ingestion

/// One phase's HL7 traffic: ORU^R01 vitals panels (5 OBX, so 5 clinical events a message) from a bedside
/// gateway. Message k is for patient k % patients, its round k / patients, so each patient sends `rounds`
/// panels a minute apart in clinical time. Every second patient deteriorates from round 1 on (NEWS2 14:
/// critical), which raises one alert per such patient (alerts dedupe per patient episode); the others stay
/// at NEWS2 0. Patient ids are unique per run and phase, so nothing carries over between phases.
struct E2EWorkload {
    static let eventsPerMessage = 5
    static let rounds = 4

    let sender: String
    let phase: String
    let messages: Int
    let start: Date

    var patients: Int { max(1, messages / Self.rounds) }
    var events: Int { messages * Self.eventsPerMessage }
    /// Patients whose panels cross the alert threshold: one raised alert each.
    var alertingPatients: Int { messages >= 2 * patients ? (patients + 1) / 2 : 0 }

    func controlID(_ k: Int) -> String { "\(phase)-\(k)" }

    func message(_ k: Int) -> [UInt8] {
        let patient = k % patients
        let round = k / patients
        let sick = patient % 2 == 0 && round >= 1
        let at = Self.hl7Time(start.addingTimeInterval(Double(round) * 60))
        let vitals: [(String, String, String, String)] = [
            ("8867-4", "Heart rate", sick ? "138" : "72", "/min"),
            ("9279-1", "Respiratory rate", sick ? "29" : "16", "/min"),
            ("59408-5", "SpO2", sick ? "89" : "97", "%"), ("8480-6", "Systolic BP", sick ? "86" : "122", "mm[Hg]"),
            ("8310-5", "Temperature", sick ? "39.4" : "36.9", "Cel"),
        ]
        let mrn = "\(sender)-\(phase)-\(patient)"
        var segments = [
            "MSH|^~\\&|\(sender)|ICU|VIGIL|HOSP|\(at)||ORU^R01^ORU_R01|\(controlID(k))|P|2.5.1",
            "PID|1||\(mrn)^^^HOSP^MR||Doe^Pat||19600101|F",
            "PV1|1|I|ICU^1^A|||||||||||||||V-\(mrn)",
            "OBR|1||\(controlID(k))|VITALS^Vitals^L|||\(at)",
        ]
        for (index, vital) in vitals.enumerated() {
            segments.append("OBX|\(index + 1)|NM|\(vital.0)^\(vital.1)^LN||\(vital.2)|\(vital.3)|||||F|||\(at)")
        }
        return Array(segments.joined(separator: "\r").utf8) + [13]
    }

    /// HL7 DTM in UTC.
    static func hl7Time(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMddHHmmss"
        return formatter.string(from: date) + "+0000"
    }
}

/// Sends a workload over MLLP and says when each message was due.
struct E2ESender {
    let port: Int
    let connections: Int

    struct Sent {
        /// When each message was due (paced) or when the phase's sending began (unpaced), by control id.
        var due: [String: ContinuousClock.Instant]
        var accepted: Int
        var began: ContinuousClock.Instant
        var finished: ContinuousClock.Instant
    }

    /// With `rate` (messages/s), open loop: message k is written at start + k/rate on connection k % connections,
    /// whether or not earlier ones were acknowledged, and its latency counts from that due time (so a stall
    /// shows up in the percentiles instead of slowing the sender: no coordinated omission). Without a rate,
    /// every connection writes its share as fast as it can.
    func send(_ workload: E2EWorkload, rate: Double?) async throws -> Sent {
        let messages = (0..<workload.messages).map(workload.message)
        let began = ContinuousClock.now + .milliseconds(100)
        var due: [String: ContinuousClock.Instant] = [:]
        var accepted = 0
        if let rate {
            for k in 0..<workload.messages { due[workload.controlID(k)] = began + .seconds(Double(k) / rate) }
            let lanes = connections
            accepted = try await withThrowingTaskGroup(of: Int.self) { group in
                for lane in 0..<lanes {
                    let share = Array(stride(from: lane, to: messages.count, by: lanes)).map { messages[$0] }
                    guard !share.isEmpty else { continue }
                    let hooks = MLLPClient.Hooks(pace: { i in
                        try await Task.sleep(
                            until: began + .seconds(Double(i * lanes + lane) / rate), clock: .continuous)
                    })
                    group.addTask {
                        try await MLLPClient.codes(port: port, messages: share, hooks: hooks).filter { $0 == "AA" }
                            .count
                    }
                }
                return try await group.reduce(0, +)
            }
        } else {
            try await Task.sleep(until: began, clock: .continuous)
            for k in 0..<workload.messages { due[workload.controlID(k)] = began }
            accepted = try await MLLPClient.codes(port: port, messages: messages, connections: connections)
                .filter { $0 == "AA" }.count
        }
        return Sent(due: due, accepted: accepted, began: began, finished: .now)
    }
}
