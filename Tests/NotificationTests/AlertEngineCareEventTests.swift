import Foundation
import Notification
import Testing
import VigilModelCore

/// ADT, revisions of the basis and the stop switch. `TestPolicy`: correction grace 2 min.
@Suite struct AlertEngineCareEventTests {
    @Test func retractionOfABasisEventRetracts() throws {
        var h = Harness()
        h.record(news2(5, at: t0, inputs: ["rr-1", "hr-1"]))
        try h.apply(.care(.retraction(of: inputEvent("hr-1"))), at: minutes(3))
        #expect(h.state?.status == .retracted && h.last.event.action == .retracted)
        #expect(h.last.reasonCode == "input-retracted" && !h.last.page && h.timers.isEmpty)
    }

    @Test func retractionOfAnOldBasisEventIsIgnored() throws {
        var h = Harness()
        h.record(news2(5, at: t0, inputs: ["rr-1"]))
        h.record(news2(6, at: minutes(5), inputs: ["rr-2"]))  // the latest basis no longer holds rr-1
        try h.apply(.care(.retraction(of: inputEvent("rr-1"))), at: minutes(6))
        try h.apply(.care(.retraction(of: inputEvent("unrelated"))), at: minutes(6))
        #expect(h.state?.status == .open && h.events.count == 1)
    }

    @Test func correctionWithinGraceUpdatesInsteadOfRetracting() throws {
        var h = Harness()
        h.record(news2(5, at: t0, inputs: ["rr-1"]))
        try h.apply(.care(.correction(of: inputEvent("rr-1"))), at: minutes(3))
        #expect(h.timers[.correctionGrace]?.dueAt == minutes(5) && h.events.count == 1)
        h.record(news2(6, at: minutes(4), inputs: ["rr-1b"]))
        #expect(h.last.event.action == .updated && h.last.reasonCode == "input-corrected" && !h.last.page)
        #expect(h.last.inputEventIDs == [inputEvent("rr-1b")] && h.timers[.correctionGrace] == nil)
        h.advance(to: minutes(10))
        #expect(h.state?.status == .open)
    }

    @Test func aCorrectionThatRaisesSeverityPages() throws {
        var h = Harness()
        h.record(news2(5, at: t0, inputs: ["rr-1"]))
        try h.apply(.care(.correction(of: inputEvent("rr-1"))), at: minutes(3))
        h.record(news2(8, at: minutes(4), inputs: ["rr-1b"]))
        #expect(h.last.page && h.last.reasonCode == "severity-rise" && h.events.count == 2)
    }

    @Test func correctionWithoutARecomputedScoreRetractsAfterTheGrace() throws {
        var h = Harness()
        h.record(news2(5, at: t0, inputs: ["rr-1"]))
        try h.apply(.care(.correction(of: inputEvent("rr-1"))), at: minutes(3))
        h.advance(to: minutes(4))
        #expect(h.state?.status == .open)
        h.advance(to: minutes(5))
        #expect(
            h.state?.status == .retracted && h.last.reasonCode == "input-corrected" && h.last.event.time == minutes(5))
    }

    @Test func dischargeRetractsOpenEpisodes() throws {
        var h = Harness()
        h.record(news2(5, at: minutes(10)))
        try h.apply(.care(.discharge(at: minutes(5))), at: minutes(11))  // an earlier stay's late discharge
        #expect(h.state?.status == .open)
        try h.act(.acknowledge, at: minutes(12))
        try h.apply(.care(.discharge(at: minutes(20))), at: minutes(21))
        #expect(h.state?.status == .retracted && h.last.reasonCode == "discharged" && !h.last.page)
        #expect(h.timers.isEmpty)
    }

    @Test func stoppingTheModelRetractsItsEpisodes() throws {
        var h = Harness()
        h.record(news2(5, at: t0))
        try h.apply(.modelStopped(modelID: "sepsis-lgbm"), at: minutes(1))
        #expect(h.state?.status == .open)
        try h.apply(.modelStopped(modelID: "news2"), at: minutes(2))
        #expect(h.state?.status == .retracted && h.last.reasonCode == "model-stopped" && h.timers.isEmpty)
        // After the stop, the gate keeps the next record from raising.
        let next = h.record(news2(9, at: minutes(3)), context: RecordContext(modelStopped: true))
        #expect(next.suppressReason == .stopped && h.state?.status == .retracted)
    }

    @Test func aTransferReroutesToTheNewUnitsLadder() throws {
        var h = Harness()
        h.record(news2(5, at: t0), context: RecordContext(unit: "WARD-7"))
        h.advance(to: minutes(16))  // ward step 2
        try h.apply(.care(.transfer(unit: "ICU-1")), at: minutes(16))
        #expect(h.last.event.action == .updated && !h.last.page && h.last.reasonCode == "transferred")
        #expect(h.last.targets == ["rapid-response"] && h.last.unit == "ICU-1" && h.last.escalationLevel == 1)
        #expect(h.timers[.escalate] == nil)  // the ICU ladder has no third step
        let events = h.events.count
        try h.apply(.care(.transfer(unit: "ICU-2")), at: minutes(17))  // same ladder: nothing to tell
        #expect(h.events.count == events && h.state?.unit == "ICU-2")
    }
}
