import Foundation
import Notification
import Testing
import VigilModelCore

/// Risk records against the §4 table: raise, refire, rise, fall, suppression. Expected values follow from
/// `TestPolicy` by hand.
@Suite struct AlertEngineRecordTests {
    typealias ThresholdCase = (value: Double, parts: [String: Double], rule: String?, severity: AlertEvent.Severity?)

    static let thresholdCases: [ThresholdCase] = [
        // NEWS2 4 is below every rule; 5 and 6 are `review` (high); 7 is `urgent` (critical); an aggregate of 3
        // with one parameter scoring 3 is `single3` (high).
        (4, [:], nil, nil),
        (5, [:], "news2.review", .high),
        (6, [:], "news2.review", .high),
        (7, [:], "news2.urgent", .critical),
        (3, ["news2.rr": 3, "news2.hr": 0], "news2.single3", .high),
        // Highest severity wins: 8 with a part of 3 matches all three rules.
        (8, ["news2.acvpu": 3, "news2.rr": 2], "news2.urgent", .critical),
        // A part of 2 is not a single-parameter trigger.
        (4, ["news2.o2": 2, "news2.rr": 2], nil, nil),
    ]

    @Test(arguments: thresholdCases)
    func news2ThresholdsMapToSeverity(_ example: ThresholdCase) {
        let (value, parts, rule, severity) = example
        var h = Harness()
        let decision = h.record(news2(value, parts: parts, at: t0))
        #expect(decision.rule == rule)
        #expect(decision.severity == severity)
        #expect(decision.outcome == (rule == nil ? .clear : .raise))
        #expect(h.events.count == (rule == nil ? 0 : 1))
        if rule != nil {
            #expect(h.last.event.action == .raised && h.last.page)
            #expect(h.last.targets == ["ward-nurse"] && h.last.escalationLevel == 0)
            #expect(h.state?.status == .open)
        }
    }

    @Test func recordsNoConditionCoversAreIgnored() {
        var h = Harness()
        var qsofa = news2(3, at: t0)
        qsofa.scoreName = "qsofa"
        #expect(h.record(qsofa).outcome == .ignore)
        var future = news2(9, at: t0)
        future.model.version = "rcp-2030.1"  // outside the version glob
        #expect(h.record(future).outcome == .ignore)
        #expect(h.events.isEmpty && h.state == nil)
    }

    @Test func shadowAndStoppedModelsNeverPage() {
        var h = Harness()
        let shadow = h.record(news2(9, at: t0, status: .shadow))
        #expect(shadow.mode == .shadow && shadow.outcome == .suppress && shadow.suppressReason == .shadow)
        #expect(shadow.rule == "news2.urgent")  // what it would have raised: the shadow alert burden
        #expect(h.record(news2(9, at: minutes(1), status: nil)).suppressReason == .shadow)
        let stopped = h.record(news2(9, at: minutes(2), status: .stopped))
        #expect(stopped.mode == .live && stopped.suppressReason == .stopped)
        #expect(h.record(news2(9, at: minutes(3), status: .retired)).suppressReason == .stopped)
        let gated = h.record(news2(9, at: minutes(4)), context: RecordContext(modelStopped: true))
        #expect(gated.suppressReason == .stopped)
        #expect(h.events.isEmpty && h.state == nil && h.timers.isEmpty)
    }

    @Test func shadowRecordsLeaveALiveEpisodeAlone() {
        var h = Harness()
        h.record(news2(5, at: t0))
        let before = h.state
        h.record(news2(9, at: minutes(5), status: .shadow))
        #expect(h.state == before && h.events.count == 1)
    }

    @Test func refireAtSameSeverityIsQuiet() {
        var h = Harness()
        for step in 0..<10 { h.record(news2(5, at: minutes(Double(step)))) }  // before any timer is due
        #expect(h.decisions.map(\.outcome) == [.raise] + Array(repeating: .refire, count: 9))
        #expect(h.events.count == 1 && h.events[0].event.action == .raised)
        #expect(h.state?.revision == 1)
        // The same record again (a replay the store did not catch) is a quiet re-fire too.
        let replay = news2(5, at: minutes(10), inputs: ["obs-a"])
        h.record(replay)
        h.record(replay)
        #expect(h.events.count == 1)
    }

    @Test func severityRiseReAlertsAndRestartsTheLadder() {
        var h = Harness()
        h.record(news2(5, at: t0))
        h.advance(to: minutes(20))  // ward step 2 at 15 min
        #expect(h.state?.escalationLevel == 1)
        let rise = h.record(news2(7, at: minutes(20)))
        #expect(rise.outcome == .rise)
        #expect(h.last.event.action == .updated && h.last.page && h.last.reasonCode == "severity-rise")
        #expect(h.last.event.severity == .critical && h.last.event.rule == "news2.urgent")
        #expect(h.last.escalationLevel == 0 && h.last.targets == ["ward-nurse"])
        #expect(h.timers[.escalate]?.dueAt == minutes(35) && h.timers[.escalate]?.step == 1)
        #expect(h.timers[.remind]?.dueAt == minutes(50))
    }

    @Test func severityRiseReopensAnAcknowledgedEpisode() throws {
        var h = Harness()
        h.record(news2(5, at: t0))
        try h.act(.acknowledge, at: minutes(2))
        #expect(h.state?.status == .acknowledged && h.timers[.escalate] == nil)
        h.record(news2(7, at: minutes(10)))
        #expect(h.state?.status == .open && h.state?.ackedBy == nil)
        #expect(h.last.page && h.timers[.escalate]?.dueAt == minutes(25))
    }

    @Test func severityFallUpdatesWithoutPaging() {
        var h = Harness()
        h.record(news2(7, at: t0))
        let fall = h.record(news2(5, at: minutes(5)))
        #expect(fall.outcome == .fall)
        #expect(h.last.event.action == .updated && !h.last.page)
        #expect(h.last.event.severity == .high && h.last.event.rule == "news2.review")
        #expect(h.state?.status == .open)
    }

    @Test func staleRecordsAreSuppressed() {
        var h = Harness()
        // Computed 61 min before it is decided (maxRecordAge 1h).
        let old = news2(9, at: t0, computedAt: minutes(-61))
        try! h.apply(.record(old, RecordContext()), at: t0)
        #expect(h.decisions.last?.suppressReason == .stale)
        // Fresh record, but it describes a time 4h 1min before the newest the patient has (staleInputs 4h):
        // event times are shifted by de-identification, so the patient's own newest time is the reference.
        let late = RecordContext(latestEventTime: t0)
        #expect(h.record(news2(9, at: t0, eventTime: minutes(-241)), context: late).suppressReason == .stale)
        // Within both limits it raises, however far the shifted event time is from the wall clock.
        #expect(h.record(news2(9, at: t0, computedAt: t0, eventTime: minutes(-239)), context: late).outcome == .raise)
        #expect(h.events.count == 1)
        var shifted = Harness()
        let monthsAgo = t0.addingTimeInterval(-90 * 86_400)
        #expect(
            shifted.record(news2(9, at: t0, eventTime: monthsAgo), context: RecordContext(latestEventTime: monthsAgo)).outcome
                == .raise)
    }

    @Test func recordsOfADischargedPatientAreSuppressed() {
        var h = Harness()
        let decision = h.record(news2(9, at: t0), context: RecordContext(discharged: true))
        #expect(decision.suppressReason == .discharged && h.state == nil)
    }

    @Test func everyDecisionAndEventCarriesThePolicyHash() {
        var h = Harness()
        h.record(news2(5, at: t0))
        h.record(news2(7, at: minutes(1)))
        h.advance(to: minutes(60))
        #expect(!h.events.isEmpty)
        #expect(h.events.allSatisfy { $0.policyHash == TestPolicy.policy.hash })
        #expect(h.decisions.allSatisfy { $0.policyHash == TestPolicy.policy.hash })
    }

    @Test func eventIDsAreDeterministic() {
        func run() -> Harness {
            var h = Harness()
            h.record(news2(5, at: t0, inputs: ["a"]))
            h.record(news2(7, at: minutes(3), inputs: ["b"]))
            h.advance(to: minutes(40))
            return h
        }
        let first = run()
        let second = run()
        #expect(first.events.map(\.event.id) == second.events.map(\.event.id))
        #expect(Set(first.events.map(\.event.id)).count == first.events.count)
        let opening = news2(5, at: t0, inputs: ["a"]).id
        let alertID = EventID.derive(namespace: "alert", parts: [patient.rawValue, "news2", opening.rawValue])
        #expect(first.events.allSatisfy { $0.event.alertID == alertID })
        for emission in first.events {
            #expect(
                emission.event.id
                    == EventID.derive(namespace: "alert-event", parts: [alertID.rawValue, String(emission.revision)]))
        }
        #expect(first.events.map(\.revision) == Array(1...first.events.count))
    }
}
