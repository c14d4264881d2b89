import Foundation
import Notification
import Testing

/// Closed → open after 5 failures; open 30 s, doubling to 10 min; half-open lets one probe through.
@Suite struct CircuitBreakerTests {
    let policy = CircuitBreaker.Policy(threshold: 5, openFor: .seconds(30), maxOpen: .seconds(600))
    let start = Date(timeIntervalSince1970: 1_700_000_000)

    @Test func breakerOpensHalfOpensCloses() {
        var breaker = CircuitBreaker()
        for second in 0..<4 {
            #expect(breaker.record(failure: true, at: start + Double(second), policy: policy) == nil)
            #expect(breaker.slots(4, at: start + Double(second)) == 4)
        }
        let opened = breaker.record(failure: true, at: start + 4, policy: policy)
        #expect(opened == .opened(until: start + 34))
        #expect(breaker.phase(at: start + 33) == .open(until: start + 34) && breaker.slots(4, at: start + 33) == 0)
        // An attempt that started before the breaker opened fails late: nothing changes.
        #expect(breaker.record(failure: true, at: start + 10, policy: policy) == nil)
        #expect(breaker.openUntil == start + 34)
        // Half-open: one probe; its failure re-opens for twice as long, then four times.
        #expect(breaker.phase(at: start + 34) == .halfOpen && breaker.slots(4, at: start + 34) == 1)
        #expect(breaker.record(failure: true, at: start + 40, policy: policy) == .opened(until: start + 100))
        #expect(breaker.record(failure: true, at: start + 100, policy: policy) == .opened(until: start + 220))
        // A successful probe closes it and forgets the failures.
        #expect(breaker.record(failure: false, at: start + 220, policy: policy) == .closed)
        #expect(breaker == CircuitBreaker() && breaker.slots(4, at: start + 220) == 4)
        #expect(breaker.record(failure: false, at: start + 221, policy: policy) == nil)
    }

    @Test func openPeriodStopsDoublingAtTheMaximum() {
        var breaker = CircuitBreaker(failures: 50, openUntil: start, opens: 8)
        #expect(breaker.record(failure: true, at: start, policy: policy) == .opened(until: start + 600))
    }

    @Test func successBetweenFailuresResetsTheCount() {
        var breaker = CircuitBreaker()
        for _ in 0..<4 { _ = breaker.record(failure: true, at: start, policy: policy) }
        _ = breaker.record(failure: false, at: start, policy: policy)
        for _ in 0..<4 { #expect(breaker.record(failure: true, at: start, policy: policy) == nil) }
        #expect(breaker.phase(at: start) == .closed)
    }
}
