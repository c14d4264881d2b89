import Testing
import VigilRuntime

/// The bucket behind `vigil replay --rate`: a full bucket lets `capacity` through at once, then one per
/// 1/rate; waiters queue in order; idle time refills it, never beyond capacity.
@Suite struct TokenBucketTests {
    @Test func spacesTakersAtTheRateOnceTheBurstIsUsed() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(rate: 10, capacity: 2, now: start)
        #expect(bucket.take(now: start) == .zero)
        #expect(bucket.take(now: start) == .zero)
        // Concurrent takers at the same instant wait 100 ms, 200 ms, 300 ms: the rate holds overall.
        let waits = (0..<3).map { _ in bucket.take(now: start) }
        for (wait, expected) in zip(waits, [0.1, 0.2, 0.3]) {
            let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
            #expect(abs(seconds - expected) < 1e-6, "\(wait)")
        }
    }

    @Test func idleTimeRefillsUpToTheCapacityOnly() {
        let start = ContinuousClock.now
        var bucket = TokenBucket(rate: 10, capacity: 2, now: start)
        _ = bucket.take(now: start)
        _ = bucket.take(now: start)
        let later = start + .seconds(10)
        #expect(bucket.take(now: later) == .zero)
        #expect(bucket.take(now: later) == .zero)
        #expect(bucket.take(now: later) > .zero, "ten idle seconds bought two tokens, not a hundred")
    }

    @Test func aLimiterTakesAtLeastTheTimeTheRateAllows() async throws {
        // At 20 a second the bucket holds one token.
        let limiter = RateLimiter(perSecond: 20)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<11 { group.addTask { try await limiter.acquire() } }
            try await group.waitForAll()
        }
        // One token at the start, ten more at 50 ms each.
        #expect(ContinuousClock.now - start >= .milliseconds(500))
    }
}
