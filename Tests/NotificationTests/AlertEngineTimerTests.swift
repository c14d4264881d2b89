import Foundation
import Notification
import Testing
import VigilModelCore

/// Time-driven rows of the §4 table: escalation ladders, reminders, hysteresis, expiry, and timers that outlive
/// a restart. `TestPolicy`: ward ladder 0/15/30 min (the last raises to critical), ICU 0/10 min, reminders 30 min
/// ×2 up to 4 h, NEWS2 clears below 4 for 30 min, expiry after 12 h.
@Suite struct AlertEngineTimerTests {
    @Test func escalationFollowsTheWardLadderAndRaisesSeverity() {
        var h = Harness()
        h.record(news2(5, at: t0))
        h.advance(to: minutes(14))
        #expect(h.events.count == 1)
        h.advance(to: minutes(15))
        #expect(h.last.event.action == .escalated && h.last.page && h.last.escalationLevel == 1)
        #expect(h.last.targets == ["ward-nurse", "charge-nurse", "ward-doctor"] && h.last.event.severity == .high)
        h.advance(to: minutes(30))
        let step3 = h.events.first { $0.event.action == .escalated && $0.escalationLevel == 2 }
        #expect(step3?.targets == ["outreach-team"] && step3?.event.severity == .critical)
        #expect(step3?.event.time == minutes(30))
        #expect(h.timers[.escalate] == nil)  // top of the ladder
        // The raised severity holds: a later high record is a re-fire, not a fall.
        #expect(h.record(news2(5, at: minutes(35))).outcome == .refire)
        #expect(h.state?.severity == .critical)
    }

    @Test func icuUnitsRouteToTheIcuLadder() {
        var h = Harness()
        h.record(news2(5, at: t0), context: RecordContext(unit: "ICU-3"))
        #expect(h.last.targets == ["ward-doctor"] && h.last.unit == "ICU-3")
        h.advance(to: minutes(10))
        #expect(h.last.event.action == .escalated && h.last.targets == ["rapid-response"])
        #expect(h.last.event.severity == .high)
    }

    @Test func aRuleWithLadderNoneIsDeliveredButNeverEscalates() {
        var h = Harness()
        h.record(sepsis(0.03, at: t0))
        #expect(h.last.event.rule == "sepsis.medium" && h.last.event.severity == .medium)
        #expect(h.last.targets == ["ward-nurse"] && h.timers[.escalate] == nil)
        h.advance(to: minutes(60))
        #expect(!h.events.contains { $0.event.action == .escalated })
        // A rise to the high rule climbs the routed ward ladder again.
        h.record(sepsis(0.06, at: minutes(61)))
        #expect(h.last.reasonCode == "severity-rise" && h.timers[.escalate]?.dueAt == minutes(76))
    }

    @Test func remindersGrowByTheFactorUpToTheMaximum() {
        var h = Harness()
        h.record(news2(5, at: t0))
        h.advance(to: minutes(700))
        #expect(h.times(of: "reminder") == [30, 90, 210, 450, 690])
        #expect(h.events.filter { $0.reasonCode == "reminder" }.allSatisfy { $0.page && $0.event.action == .updated })
    }

    @Test func remindersStopOnAcknowledge() throws {
        var h = Harness()
        h.record(news2(5, at: t0))
        h.advance(to: minutes(220))
        #expect(h.times(of: "reminder") == [30, 90, 210])
        try h.act(.acknowledge, at: minutes(220))
        h.advance(to: minutes(700))
        #expect(h.times(of: "reminder") == [30, 90, 210])
        #expect(h.state?.status == .acknowledged)
    }

    @Test func autoResolveResistsFlapping() {
        var h = Harness()
        h.record(news2(6, at: t0))
        for step in 1...12 {
            h.advance(to: minutes(Double(step) * 10))
            h.record(news2(step % 2 == 1 ? 3 : 6, at: minutes(Double(step) * 10)))
        }
        h.advance(to: minutes(125))
        #expect(h.state?.status.isLive == true)
        #expect(!h.events.contains { $0.event.action == .resolved })
    }

    @Test func autoResolveNeedsClearForContinuously() {
        var h = Harness()
        h.record(news2(6, at: t0))
        h.record(news2(3, at: minutes(10)))
        h.record(news2(4, at: minutes(20)))  // in the hysteresis gap: holds and restarts the count
        h.record(news2(3, at: minutes(30)))
        h.advance(to: minutes(59))
        #expect(h.state?.status.isLive == true)
        h.advance(to: minutes(60))
        #expect(h.state?.status == .resolved)
        #expect(h.last.event.action == .resolved && !h.last.page && h.last.reasonCode == "score-cleared")
        #expect(h.last.event.time == minutes(60) && h.timers.isEmpty)
    }

    @Test func aClearRecordAfterClearForResolvesAtOnce() {
        var h = Harness()
        h.record(news2(6, at: t0))
        h.record(news2(2, at: minutes(10)))
        var replay = Harness(state: h.state)  // the clear-check timer row was lost; records alone still resolve
        replay.record(news2(1, at: minutes(40)))
        #expect(replay.state?.status == .resolved && replay.last.reasonCode == "score-cleared")
    }

    @Test func expireAfterSilence() {
        var h = Harness()
        h.record(news2(5, at: t0))
        h.advance(to: minutes(719))
        #expect(h.state?.status.isLive == true)
        h.advance(to: minutes(720))
        #expect(h.state?.status == .resolved && h.last.reasonCode == "expired" && !h.last.page)

        var kept = Harness()
        kept.record(news2(5, at: t0))
        kept.record(news2(5, at: minutes(360)))
        kept.advance(to: minutes(1079))
        #expect(kept.state?.status.isLive == true)
        kept.advance(to: minutes(1080))
        #expect(kept.state?.closeCode == "expired")
    }

    /// The store keeps the episode and its timer rows; a fresh process decodes them and the due timer fires once.
    @Test func anEscalationTimerSurvivesARestart() throws {
        var before = Harness()
        before.record(news2(5, at: t0))
        struct Stored: Codable {
            var state: EpisodeState?
            var timers: [EngineTimer]
        }
        let bytes = try JSONEncoder().encode(Stored(state: before.state, timers: Array(before.timers.values)))
        let stored = try JSONDecoder().decode(Stored.self, from: bytes)
        #expect(stored.state == before.state)
        var after = Harness(state: stored.state)
        for timer in stored.timers { after.timers[timer.kind] = timer }
        after.advance(to: minutes(20))  // overdue at start-up: fires once, at its due time
        #expect(after.events.count == 1)
        #expect(after.last.event.action == .escalated && after.last.escalationLevel == 1 && after.last.revision == 2)
        #expect(after.last.event.alertID == before.state?.id && after.last.event.time == minutes(15))
        // Firing the same row again (a crash before the delete) changes nothing.
        let again = stored.timers.first { $0.kind == .escalate }!
        try after.apply(.timer(again), at: minutes(21))
        #expect(after.events.count == 1)
    }
}
