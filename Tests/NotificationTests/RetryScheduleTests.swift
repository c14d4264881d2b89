import Notification
import Testing

/// The retry delay: d = min(cap, base·2^(n−1)) waited as d/2 + random(0, d/2); Retry-After up to cap.
@Suite struct RetryScheduleTests {
    @Test func retryScheduleBoundsAndJitter() {
        let schedule = RetrySchedule(base: .seconds(10), cap: .seconds(1800), maxAttempts: 10)
        let ceilings: [Duration] = (1...10).map { schedule.ceiling(afterAttempt: $0) }
        #expect(
            ceilings == [10, 20, 40, 80, 160, 320, 640, 1280, 1800, 1800].map { Duration.seconds($0) })
        #expect(schedule.ceiling(afterAttempt: 500) == .seconds(1800))  // no overflow far past the cap
        var generator = SystemRandomNumberGenerator()
        for attempt in 1...10 {
            let ceiling = ceilings[attempt - 1]
            var seen: Set<Duration> = []
            for _ in 0..<200 {
                let delay = schedule.delay(afterAttempt: attempt, using: &generator)
                #expect(delay >= ceiling / 2 && delay <= ceiling)
                seen.insert(delay)
            }
            #expect(seen.count > 100, "jitter spreads the delays")
        }
    }

    @Test func retryAfterIsHonouredUpToTheCap() {
        let schedule = RetrySchedule(base: .milliseconds(50), cap: .milliseconds(400), maxAttempts: 4)
        #expect(schedule.delay(afterAttempt: 1, retryAfter: .seconds(3600)) == .milliseconds(400))
        let shortRetryAfter = schedule.delay(afterAttempt: 3, retryAfter: .milliseconds(10))
        #expect(shortRetryAfter >= .milliseconds(100) && shortRetryAfter <= .milliseconds(200))
        #expect(schedule.delay(afterAttempt: 1, retryAfter: .milliseconds(300)) == .milliseconds(300))
    }

    @Test func exhaustedAfterMaxAttempts() {
        let schedule = RetrySchedule(base: .milliseconds(50), cap: .milliseconds(400), maxAttempts: 4)
        #expect((1...5).map { schedule.isExhausted(attempts: $0) } == [false, false, false, true, true])
    }
}
