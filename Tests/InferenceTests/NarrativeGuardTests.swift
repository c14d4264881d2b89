import Foundation
import NIOHTTP1
import Testing

@testable import Inference

extension NarrativeTests {
    /// The breaker, the budget and Retry-After on their own, with a hand-moved clock.
    @Suite struct Guards {
        @Test func breakerOpensAfterConsecutiveFailuresAndProbesOnce() {
            let clock = ManualClock()
            let breaker = CircuitBreaker(failureThreshold: 2, coolDown: .seconds(10), now: clock.now)
            #expect(breaker.acquire())
            breaker.recordFailure()
            breaker.recordSuccess()
            breaker.recordFailure()
            #expect(breaker.current == .closed(failures: 1), "a success resets the count")
            breaker.recordFailure()
            #expect(!breaker.acquire())
            clock.advance(.seconds(10))
            #expect(breaker.acquire(), "one probe after the cool-down")
            #expect(!breaker.acquire(), "only one")
            breaker.abandon()
            #expect(breaker.acquire(), "an abandoned probe frees the slot")
            breaker.recordSuccess()
            #expect(breaker.current == .closed(failures: 0))
        }

        @Test func retryAfterOpensTheCircuitForThatLong() {
            let clock = ManualClock()
            let breaker = CircuitBreaker(failureThreshold: 5, coolDown: .seconds(1), now: clock.now)
            breaker.recordFailure(retryAfter: .seconds(120))
            clock.advance(.seconds(119))
            #expect(!breaker.acquire())
            clock.advance(.seconds(1))
            #expect(breaker.acquire())
        }

        @Test func budgetIsARollingHour() {
            let clock = ManualClock()
            let budget = CallBudget(perHour: 3, now: clock.now)
            #expect(budget.tryConsume())
            clock.advance(.seconds(1200))
            #expect(budget.tryConsume() && budget.tryConsume())
            #expect(!budget.tryConsume())
            #expect(budget.remaining == 0)
            clock.advance(.seconds(2399))
            #expect(!budget.tryConsume(), "the first call is 59:59 old")
            clock.advance(.seconds(1))
            #expect(budget.remaining == 1)
            #expect(budget.tryConsume() && !budget.tryConsume())
            #expect(!CallBudget(perHour: 0, now: clock.now).tryConsume())
        }

        @Test func retryAfterHeaderForms() {
            let now = Date(timeIntervalSince1970: 1_700_000_000)  // Tue, 14 Nov 2023 22:13:20 GMT
            func parse(_ headers: [(String, String)]) -> Duration? { RetryAfter.parse(HTTPHeaders(headers), now: now) }
            #expect(parse([("Retry-After", "30")]) == .seconds(30))
            #expect(parse([("retry-after-ms", "1500"), ("Retry-After", "2")]) == .milliseconds(1500))
            #expect(parse([("Retry-After", "Tue, 14 Nov 2023 22:14:05 GMT")]) == .seconds(45))
            #expect(parse([("Retry-After", "86400")]) == .seconds(3600), "capped at an hour")
            #expect(parse([("Retry-After", "soon")]) == nil)
            #expect(parse([]) == nil)
        }

        @Test func errorsDescribeCodesOnly() {
            let error = ChatCompletionsError(.httpStatus, status: 429, retryAfter: .seconds(3))
            #expect(error.description == "ChatCompletionsError.http_status status=429 retryAfter=3.0 seconds")
            #expect(NarrativeFallbackReason(error) == .http429)
            #expect(NarrativeFallbackReason(ChatCompletionsError(.httpStatus, status: 503)) == .http5xx)
            #expect(NarrativeFallbackReason(ChatCompletionsError(.cancelled)) == .transport)
            #expect(ChatCompletionsError(classifying: CancellationError()).code == .cancelled)
        }
    }
}
