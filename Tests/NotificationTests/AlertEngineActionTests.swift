import Foundation
import Notification
import Testing
import VigilModelCore

/// Clinicians' actions: acknowledge, override (coded reason, hold) and snooze (cap, never critical).
/// `TestPolicy`: snooze up to 60 min for low/medium/high, override hold 8 h.
@Suite struct AlertEngineActionTests {
    @Test func acknowledgeStopsEscalationAndIsIdempotent() throws {
        var h = Harness()
        h.record(news2(5, at: t0))
        try h.act(.acknowledge, at: minutes(5), actor: "user:nurse1")
        #expect(h.last.event.action == .acknowledged && !h.last.page && h.last.event.actor == "user:nurse1")
        #expect(h.state?.ackedAt == minutes(5) && h.state?.ackedBy == "user:nurse1")
        #expect(h.timers[.escalate] == nil && h.timers[.remind] == nil && h.timers[.expire] != nil)
        try h.act(.acknowledge, at: minutes(6))
        #expect(h.events.count == 2)
        h.advance(to: minutes(120))
        #expect(h.events.count == 2)
    }

    @Test func aStaleRevisionIsRefused() throws {
        var h = Harness()
        h.record(news2(5, at: t0))
        h.advance(to: minutes(15))  // escalated: revision 2
        #expect(throws: AlertActionError(.staleRevision, "shown revision 1, current 2")) {
            try h.apply(.human(actor: "user:a", action: .acknowledge, revision: 1), at: minutes(16))
        }
        try h.apply(.human(actor: "user:a", action: .acknowledge, revision: 2), at: minutes(16))
        #expect(h.state?.status == .acknowledged && h.last.revision == 3)
    }

    @Test(arguments: [
        (nil as String?, nil as String?, false),
        ("not-my-patient", nil, false),
        ("other", nil, false),
        ("other", "  n/a ", false),
        ("other", "comfort care only", true),
        ("patient-not-at-risk", nil, true),
        ("already-addressed", nil, true),
        ("data-error", "probe off finger", true),
    ])
    func overrideNeedsACodedReasonAndOtherNeedsText(code: String?, text: String?, accepted: Bool) {
        var h = Harness()
        h.record(news2(5, at: t0))
        do {
            try h.act(.override(reasonCode: code, text: text), at: minutes(3), actor: "user:dr1")
            #expect(accepted)
            #expect(h.state?.status == .overridden && h.state?.overrideCode?.rawValue == code)
            #expect(h.last.event.action == .overridden && !h.last.page && h.last.reasonCode == code)
            #expect(h.last.event.actor == "user:dr1" && h.timers.isEmpty)
        } catch {
            #expect(!accepted)
            #expect(error.code == .invalid)
            #expect(h.state?.status == .open && h.events.count == 1)
        }
    }

    @Test func overrideHoldSuppressesSameSeverityButNotHigher() throws {
        var h = Harness()
        h.record(news2(5, at: t0))
        let first = try #require(h.state?.id)
        try h.act(.override(reasonCode: "already-addressed", text: nil), at: minutes(5))
        let held = h.record(news2(6, at: minutes(60)))
        #expect(held.outcome == .suppress && held.suppressReason == .overrideHold && held.alertID == first)
        #expect(h.record(news2(3, parts: ["news2.rr": 3], at: minutes(70))).suppressReason == .overrideHold)
        #expect(h.events.count == 2)
        let rise = h.record(news2(7, at: minutes(80)))
        #expect(rise.outcome == .raise && rise.alertID != first)
        #expect(h.last.event.action == .raised && h.last.page && h.last.event.severity == .critical)
    }

    @Test func theOverrideHoldEnds() throws {
        var h = Harness()
        h.record(news2(5, at: t0))
        try h.act(.override(reasonCode: "patient-not-at-risk", text: nil), at: minutes(10))
        #expect(h.record(news2(5, at: minutes(10 + 479))).suppressReason == .overrideHold)
        #expect(h.record(news2(5, at: minutes(10 + 480))).outcome == .raise)
    }

    @Test func snoozeIsCappedAndNeverForCritical() throws {
        var h = Harness()
        h.record(news2(5, at: t0))
        #expect(throws: AlertActionError.self) { try h.act(.snooze(minutes: 61), at: minutes(1)) }
        #expect(throws: AlertActionError.self) { try h.act(.snooze(minutes: 0), at: minutes(1)) }
        try h.act(.snooze(minutes: 60), at: minutes(1))
        #expect(h.state?.status == .snoozed && h.last.event.action == .snoozed && !h.last.page)
        #expect(h.last.snoozedUntil == minutes(61) && h.timers[.snoozeEnd]?.dueAt == minutes(61))
        #expect(h.timers[.escalate] == nil && h.timers[.remind] == nil)

        var critical = Harness()
        critical.record(news2(7, at: t0))
        do {
            try critical.act(.snooze(minutes: 10), at: minutes(1))
            Issue.record("a critical alert was snoozed")
        } catch {
            #expect(error.code == .invalid && error.reason.contains("critical"))
        }
    }

    @Test func aSnoozeEndsWithAPageWhileStillQualifying() throws {
        var h = Harness()
        h.record(news2(5, at: t0))
        h.advance(to: minutes(20))  // escalated to step 2 at 15 min
        try h.act(.snooze(minutes: 30), at: minutes(20))
        h.record(news2(5, at: minutes(40)))  // a re-fire while snoozed stays quiet
        #expect(h.decisions.last?.outcome == .refire && h.last.event.action == .snoozed)
        h.advance(to: minutes(50))
        #expect(h.last.event.action == .updated && h.last.page && h.last.reasonCode == "snooze-ended")
        #expect(h.state?.status == .open)
        // The ladder resumes: step 3 keeps its 15 min distance from step 2; reminders start over.
        #expect(h.timers[.escalate]?.dueAt == minutes(65) && h.timers[.remind]?.dueAt == minutes(80))
    }

    @Test func aSeverityRiseEndsASnooze() throws {
        var h = Harness()
        h.record(news2(5, at: t0))
        try h.act(.snooze(minutes: 60), at: minutes(1))
        h.record(news2(7, at: minutes(10)))
        #expect(h.state?.status == .open && h.state?.snoozedUntil == nil && h.timers[.snoozeEnd] == nil)
        #expect(h.last.page && h.last.reasonCode == "severity-rise")
    }

    @Test func actionsOnAClosedEpisodeConflict() throws {
        var h = Harness()
        h.record(news2(5, at: t0))
        try h.apply(.care(.retraction(of: h.state!.basis[0])), at: minutes(1))
        for action in [HumanAction.acknowledge, .snooze(minutes: 5), .override(reasonCode: "data-error", text: nil)] {
            #expect(throws: AlertActionError.self) { try h.act(action, at: minutes(2)) }
        }
    }
}
