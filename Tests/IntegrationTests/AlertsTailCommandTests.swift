import Foundation
import Testing
import VigilKafka
import VigilModelCore

/// `vigil alerts tail` against the real broker: alert events produced to a topic of the test's own come out
/// one readable line each, `--severity` keeps only the serious ones, `--json` gives the CloudEvent, and a
/// record that is not an alert event gets a line of its own instead of a crash.
@Suite(.enabled(if: VigilCLI.built && TestKafka.available, "needs a build and the broker (make test)"))
struct AlertsTailCommandTests {
    static let patient = try! Pseudonym.derive(
        assigningAuthority: "HOSP", patientID: "4711", key: Array(repeating: 3, count: 32), keyID: "k1")
    static let model = ModelReference(id: "news2", version: "1.0.0", sha256: HexDigest.sha256(framing: ["news2"]))

    static func event(
        _ n: Int, _ action: AlertEvent.Action, _ severity: AlertEvent.Severity, page: Bool, reason: String?
    )
        -> AlertEvent
    {
        let risk = EventID.derive(namespace: "test-risk", parts: ["\(n)"])
        return AlertEvent(
            id: EventID.derive(namespace: "test-alert", parts: ["\(n)"]),
            alertID: EventID.derive(namespace: "test-alert", parts: ["episode"]), patient: patient, action: action,
            severity: severity, rule: "news2.\(severity.rawValue)", model: model, riskRecordID: risk,
            time: Date(timeIntervalSince1970: 1_767_571_200 + Double(n) * 60),
            lifecycle: .init(
                revision: n, page: page, reasonCode: reason, escalationLevel: 0, targets: ["icu"], unit: "ICU",
                scoreName: "news2", score: Double(n + 3), policyHash: "sha256:" + String(repeating: "a", count: 64),
                inputEventIDs: [], snoozedUntil: nil))
    }

    /// Three alert events with a record that is not one between them, on a new one-partition topic.
    static func topic() async throws -> String {
        let topic = try await TestKafka.createTopic("alerts-tail", partitions: 1)
        let producer = try TestKafka.producer()
        var records: [OutboundRecord] = []
        for event in [
            event(1, .raised, .low, page: false, reason: nil),
            event(2, .escalated, .high, page: true, reason: "severity-rise"),
            event(3, .updated, .critical, page: true, reason: "reminder"),
        ] {
            let (headers, data) = try CloudEvent.encode(event: event, source: "urn:vigil:notify")
            records.append(
                OutboundRecord(
                    topic: topic, key: Array(patient.rawValue.utf8), value: data,
                    headers: headers.map { KafkaHeader(key: $0.key, value: $0.value) }))
            if event.lifecycle?.revision == 1 {
                records.append(OutboundRecord(topic: topic, value: Array("not a cloud event".utf8)))
            }
        }
        try await producer.sendBatch(records)
        await producer.close(timeout: .seconds(5))
        return topic
    }

    @Test func printsALinePerEventFiltersBySeverityAndSurvivesJunk() async throws {
        let topic = try await Self.topic()
        async let all = VigilCLI.run(["alerts", "tail", "--topic", topic, "--from-beginning", "--limit", "3"])
        async let serious = VigilCLI.run(
            ["alerts", "tail", "--topic", topic, "--from-beginning", "--severity", "high", "--limit", "2"])
        async let json = VigilCLI.run(
            [
                "alerts", "tail", "--topic", topic, "--from-beginning", "--severity", "critical", "--json", "--limit",
                "1",
            ])

        let everything = try await all
        #expect(everything.status == 0 && !everything.timedOut, "\(everything.stderr)")
        let lines = everything.lines
        #expect(lines.count == 4, "three events and one undecodable record: \(lines)")
        guard lines.count == 4 else { return }
        let short = "p1.k1.\(Self.patient.rawValue.split(separator: ".")[2].prefix(8))…"
        #expect(lines[0].hasPrefix("2026-01-05T00:01:00.000Z"))
        for part in ["raised", "low", "news2.low", short, "news2@1.0.0", "page=no", "reason=-"] {
            #expect(lines[0].contains(part), "\(part) in \(lines[0])")
        }
        #expect(!lines[0].contains(Self.patient.rawValue), "the pseudonym is shortened")
        #expect(lines[1].hasPrefix("undecodable record \(topic)[0]@1"), "\(lines[1])")
        for part in ["escalated", "high", "news2.high", "page=yes", "reason=severity-rise"] {
            #expect(lines[2].contains(part), "\(part) in \(lines[2])")
        }
        #expect(lines[3].contains("critical") && lines[3].contains("reason=reminder"))

        let filtered = try await serious
        #expect(filtered.status == 0 && !filtered.timedOut, "\(filtered.stderr)")
        let events = filtered.lines.filter { !$0.hasPrefix("undecodable") }
        #expect(events.count == 2 && events[0].contains(" high ") && events[1].contains(" critical "), "\(events)")
        #expect(!filtered.stdout.contains(" low "))

        let structured = try await json
        #expect(structured.status == 0 && !structured.timedOut, "\(structured.stderr)")
        #expect(structured.lines.count == 1, "only the event on stdout: \(structured.lines)")
        #expect(structured.stderr.contains("undecodable record"))
        let object = try JSONSerialization.jsonObject(with: Data((structured.lines.first ?? "").utf8)) as? [String: Any]
        #expect(object?["type"] as? String == "org.vigil.alert.updated.v1")
        #expect(object?["specversion"] as? String == "1.0")
        #expect((object?["data"] as? [String: Any])?["severity"] as? String == "critical")
    }

    @Test func aMissingTopicOrAServiceGroupIsRefusedWithAdvice() async throws {
        let missing = try await VigilCLI.run([
            "alerts", "tail", "--topic", TestKafka.uniqueName("absent"), "--limit", "1",
        ])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("does not exist"), "\(missing.stderr)")
        let stealing = try await VigilCLI.run(["alerts", "tail", "--group", "vigil-notify", "--limit", "1"])
        #expect(stealing.status == 64, "a usage error")
        #expect(stealing.stderr.contains("belong to the services"), "\(stealing.stderr)")
    }
}
