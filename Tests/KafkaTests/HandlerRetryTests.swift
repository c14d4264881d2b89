import Testing

@testable import VigilKafka

@Suite struct HandlerRetryTests {
    let configuration = StageConfiguration(
        name: "test",
        consumer: ConsumerConfiguration(kafka: KafkaConfiguration(brokers: "unused"), groupID: "g", topics: []),
        deadLetterTopic: "dlq", retryInitial: .milliseconds(100), retryMax: .milliseconds(350), isolateAfter: 3,
        deadLetterAfter: 3)

    private struct Refused: StageFailureClassifying {
        var stageFailure: StageFailure { .permanent(kind: "test.refused") }
    }

    private struct Unavailable: StageFailureClassifying {
        var stageFailure: StageFailure { .transient }
    }

    private struct Unclassified: Error {}

    @Test func errorsClassifyThemselvesAndUnknownErrorsAreTransient() {
        #expect(StageFailure(classifying: Refused()) == .permanent(kind: "test.refused"))
        #expect(StageFailure(classifying: Unavailable()) == .transient)
        #expect(StageFailure(classifying: Unclassified()) == .transient)
        #expect(StageFailure(classifying: CancellationError()) == .transient)
    }

    @Test func batchIsolatesAtOnceOnAPermanentFailure() {
        var retry = BatchRetry(configuration: configuration)
        #expect(retry.failed(.permanent(kind: "k")) == .isolate)
    }

    @Test func batchRetriesTransientFailuresWithBackoffThenIsolates() {
        var retry = BatchRetry(configuration: configuration)
        #expect(retry.failed(.transient) == .retry(after: .milliseconds(100)))
        #expect(retry.failed(.transient) == .retry(after: .milliseconds(200)))
        #expect(retry.failed(.transient) == .isolate)
    }

    @Test func recordIsDeadLetteredAfterRepeatedPermanentFailures() {
        var retry = RecordRetry(configuration: configuration)
        #expect(retry.failed(.permanent(kind: "k")) == .retry(after: .milliseconds(100)))
        #expect(retry.failed(.permanent(kind: "k")) == .retry(after: .milliseconds(200)))
        #expect(retry.failed(.permanent(kind: "postgres.23505")) == .deadLetter(kind: "postgres.23505"))
    }

    @Test func recordRetriesTransientFailuresForeverWithCappedBackoff() {
        var retry = RecordRetry(configuration: configuration)
        let delays = (0..<20).map { _ in retry.failed(.transient) }
        #expect(
            delays.prefix(3) == [
                .retry(after: .milliseconds(100)), .retry(after: .milliseconds(200)), .retry(after: .milliseconds(350)),
            ])
        #expect(delays.dropFirst(2).allSatisfy { $0 == .retry(after: .milliseconds(350)) })
    }

    @Test func transientFailuresDoNotCountTowardsTheDeadLetter() {
        var retry = RecordRetry(configuration: configuration)
        #expect(retry.failed(.permanent(kind: "k")) != .deadLetter(kind: "k"))
        for _ in 0..<10 { #expect(retry.failed(.transient) != .deadLetter(kind: "k")) }
        #expect(retry.failed(.permanent(kind: "k")) != .deadLetter(kind: "k"))
        #expect(retry.failed(.permanent(kind: "k")) == .deadLetter(kind: "k"))
    }
}
