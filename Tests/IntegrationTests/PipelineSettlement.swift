import Foundation
import Inference
import Testing
import VigilKafka
import VigilModelCore
import VigilPHI

/// What the fault tests check once a stream settles: every event ingest published is de-identified and read
/// by inference, every scoring point scored, every risk record published and decided, no alert raised twice,
/// and each stay's events in order on the identified topic.
enum PipelineSettlement {
    /// Waits until the pipeline settles, then checks that nothing was lost or raised twice. `published`: the
    /// distinct events ingest put on the identified topic.
    static func check(_ pipeline: PipelineHarness, _ tap: TopicTap, published: Int, label: String) async throws {
        let inputCodes = Set(SepsisColumns.indexByLOINC.keys)
        // Observation events on clinical.events.v1 that inference must have stored.
        func scoreInputs() -> Set<String> {
            Set(
                tap.messages(on: Topics.events).compactMap { message in
                    guard
                        let event = try? ClinicalEvent.decode(
                            headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value),
                        inputCodes.contains(event.code.code)
                    else { return nil }
                    return event.id.rawValue
                })
        }
        var state = Settled()
        var previous = ""
        var stable = 0
        let settled = try await pipeline.wait(timeout: .seconds(150 * PipelineHarness.scale), interval: .seconds(1))
        {
            state.identified = Set(tap.ids(on: Topics.identifiedEvents))
            state.quarantined = Set(
                try await pipeline.strings(
                    "SELECT substr(subject, 7) FROM audit.log WHERE action = 'deid.quarantine'"))
            state.deidentified = Set(tap.ids(on: Topics.events))
            state.observations = Set(try await pipeline.strings("SELECT event_id FROM infer.observations"))
            state.inputs = scoreInputs()
            state.records = Set(try await pipeline.strings("SELECT record_id FROM infer.risk_records"))
            state.risk = Set(tap.ids(on: Topics.risk))
            state.decided = Set(try await pipeline.strings("SELECT risk_id FROM notify.risk_decisions"))
            state.alertEvents = try await pipeline.count("SELECT count(*)::int FROM notify.alert_events")
            state.unpublished = try await pipeline.count(
                "SELECT count(*)::int FROM notify.outbox WHERE published_at IS NULL")
            state.alerts = Set(tap.ids(on: Topics.alerts))
            // Complete, and unchanged over three looks a second apart (nothing still trickling through).
            stable =
                state.signature == previous && state.identified.count == published && state.complete
                ? stable + 1 : 0
            previous = state.signature
            return stable >= 3
        }
        #expect(published > 500, "the stream was long enough to matter: \(published) events")
        #expect(
            state.identified.count == published,
            "ingest published \(published), the identified topic has \(state.identified.count)")
        let lost = state.identified.subtracting(state.deidentified).subtracting(state.quarantined)
        #expect(lost.isEmpty, "\(lost.count) events never left deid")
        #expect(state.quarantined.isEmpty, "\(state.quarantined.count) events quarantined")
        let unread = state.inputs.subtracting(state.observations)
        #expect(unread.isEmpty, "\(unread.count) of \(state.inputs.count) score inputs never stored by infer")
        #expect(
            state.decided == state.risk,
            "notify decided every risk record on the topic (\(state.decided.count) of \(state.risk.count))")
        #expect(state.alertEvents == state.alerts.count && state.unpublished == 0, "every alert event published")
        let unpublishedRecords = state.records.subtracting(state.risk)
        // Every time a patient's inputs changed was scored: each (patient, event time) of a stored observation
        // has a risk record (the sepsis model scores every time, whatever the vitals).
        let unscored = try await pipeline.count(
            """
            SELECT count(*)::int FROM (SELECT DISTINCT pseudonym, effective_time FROM infer.observations) o
            WHERE NOT EXISTS (SELECT 1 FROM infer.risk_records r
                              WHERE r.pseudonym = o.pseudonym AND r.event_time = o.effective_time)
            """)
        // Inference commits observations, then records, before the broker has the records: a redelivered
        // event is scored again and its stored records published again.
        #expect(unscored == 0, "\(unscored) (patient, time) points with inputs stored but never scored")
        #expect(unpublishedRecords.isEmpty, "\(unpublishedRecords.count) stored risk records never published")
        #expect(settled, "the pipeline settled: \(state.signature)")

        // No alert twice: one `raised` per episode in PostgreSQL; on the topic, a repeated id is the same record.
        let twice = try await pipeline.strings(
            "SELECT episode_id FROM notify.alert_events WHERE action = 'raised' GROUP BY 1 HAVING count(*) > 1")
        #expect(twice.isEmpty, "episodes raised twice: \(twice)")
        let live = try await pipeline.strings(
            """
            SELECT patient || ' ' || condition FROM notify.episodes
            WHERE status IN ('open', 'acknowledged', 'snoozed') GROUP BY 1 HAVING count(*) > 1
            """)
        #expect(live.isEmpty, "patients with two live episodes of one condition: \(live)")
        let records = Dictionary(grouping: tap.messages(on: Topics.alerts), by: { $0.header("ce_id") ?? "" })
        let differing = records.filter { Set($0.value.map(\.value)).count > 1 }.keys
        #expect(differing.isEmpty, "alert ids published with different contents: \(differing.sorted())")
        let raised = try await pipeline.count(
            "SELECT count(*)::int FROM notify.alert_events WHERE action = 'raised'")
        #expect(raised > 0, "the stays raised alerts")

        // Each stay was sent in order (two messages per MLLP exchange, the next exchange after both ACKs), so
        // the first copy of each of its events is on the identified topic in time order. (An exchange resent after
        // ingest died before its ACK may publish an event again, after a later one: a duplicate, not a reorder.)
        var latest: [String: Date] = [:]
        var seen: Set<String> = []
        var disorders = 0
        for message in tap.messages(on: Topics.identifiedEvents) {
            let event = try IdentifiedEvent.decode(
                headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value)
            guard inputCodes.contains(event.code.code), seen.insert(event.id.rawValue).inserted else { continue }
            if let previous = latest[event.patient.patientID], event.effectiveTime < previous { disorders += 1 }
            latest[event.patient.patientID] = max(
                event.effectiveTime, latest[event.patient.patientID] ?? .distantPast)
        }
        #expect(
            disorders == 0, "\(disorders) events on \(Topics.identifiedEvents) behind an earlier-sent later event")
        print(
            "pipeline \(label): \(published) events published, \(state.deidentified.count) de-identified, "
                + "\(state.observations.count) stored by infer, \(state.records.count) risk records "
                + "(\(unscored) scoring points missed, \(unpublishedRecords.count) never published), \(state.decided.count) decided, \(raised) alerts raised, "
                + "\(tap.messages(on: Topics.alerts).count) alert records for \(state.alerts.count) ids, "
                + "\(disorders) identified events out of order")
    }

    /// The sum of a counter over its label sets in a service's /metrics.
    static func counter(_ pipeline: PipelineHarness, _ service: PipelineHarness.Service, _ name: String) async
        -> Int?
    {
        guard let text = await pipeline.metrics(service) else { return nil }
        return text.split(separator: "\n").filter { $0.hasPrefix(name + " ") || $0.hasPrefix(name + "{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }.reduce(0) { $0 + Int($1) }
    }

    /// What the pipeline holds, by id, at one look.
    struct Settled {
        var identified: Set<String> = []
        var quarantined: Set<String> = []
        var deidentified: Set<String> = []
        var observations: Set<String> = []
        var inputs: Set<String> = []
        var records: Set<String> = []
        var risk: Set<String> = []
        var decided: Set<String> = []
        var alertEvents = 0
        var unpublished = 0
        var alerts: Set<String> = []

        var complete: Bool {
            deidentified.union(quarantined).isSuperset(of: identified) && observations.isSuperset(of: inputs)
                && decided == risk && unpublished == 0 && alertEvents == alerts.count
        }

        var signature: String {
            [
                identified.count, deidentified.count, observations.count, records.count, risk.count, decided.count,
                alertEvents, alerts.count,
            ].map(String.init).joined(separator: "/")
        }
    }
}
