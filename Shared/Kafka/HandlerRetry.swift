// What the stage runner does after its handler threw. Two small state machines, one for a whole batch and
// one for a record handled on its own: the runner reports each failure and performs the action it gets back.

/// Retries of a batch handed to the handler as a whole.
struct BatchRetry {
    enum Action: Sendable, Equatable {
        /// Wait, then hand the same batch to the handler again.
        case retry(after: Duration)
        /// Stop retrying the batch as a whole: hand records to the handler on their own, in order.
        case isolate
    }

    private var backoff: RetryBackoff
    private let isolateAfter: Int
    private var transientFailures = 0

    init(configuration: StageConfiguration) {
        self.backoff = RetryBackoff(configuration)
        self.isolateAfter = configuration.isolateAfter
    }

    /// Isolates at once on a permanent failure (some record in the batch is bad), or after `isolateAfter`
    /// transient failures in a row (a record whose error says nothing about itself cannot hold back the rest).
    mutating func failed(_ failure: StageFailure) -> Action {
        guard !failure.isPermanent else { return .isolate }
        transientFailures += 1
        return transientFailures >= isolateAfter ? .isolate : .retry(after: backoff.next())
    }
}

/// Retries of one record handed to the handler on its own.
struct RecordRetry {
    enum Action: Sendable, Equatable {
        /// Wait, then hand the same record to the handler again.
        case retry(after: Duration)
        /// Give up on the record: dead-letter it, naming only the error's kind.
        case deadLetter(kind: String)
    }

    private var backoff: RetryBackoff
    private let deadLetterAfter: Int
    private var permanentFailures = 0

    init(configuration: StageConfiguration) {
        self.backoff = RetryBackoff(configuration)
        self.deadLetterAfter = configuration.deadLetterAfter
    }

    /// Dead-letters after `deadLetterAfter` permanent failures; transient failures retry forever and never
    /// count, so an outage dead-letters nothing.
    mutating func failed(_ failure: StageFailure) -> Action {
        guard case .permanent(let kind) = failure else { return .retry(after: backoff.next()) }
        permanentFailures += 1
        return permanentFailures >= deadLetterAfter ? .deadLetter(kind: kind) : .retry(after: backoff.next())
    }
}

/// `retryInitial`, doubling up to `retryMax`.
struct RetryBackoff {
    private var delay: Duration
    private let maxDelay: Duration

    init(_ configuration: StageConfiguration) {
        self.delay = configuration.retryInitial
        self.maxDelay = configuration.retryMax
    }

    mutating func next() -> Duration {
        defer { delay = min(delay * 2, maxDelay) }
        return delay
    }
}
