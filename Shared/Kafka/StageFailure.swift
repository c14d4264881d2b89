/// How the stage runner treats an error its handler threw.
public enum StageFailure: Sendable, Hashable {
    /// Retrying later can succeed (database down, connection lost, deadlock, serialization failure): the runner
    /// retries with backoff for as long as it takes and never dead-letters.
    case transient
    /// The same input fails the same way every time (a constraint violation, data a column refuses, a bug).
    /// `kind` names the error in the dead letter and in logs, e.g. `postgres.23505`: a fixed token chosen by
    /// the error's type, never message text (which can hold row values).
    case permanent(kind: String)

    /// What `error` says about itself. Errors that do not conform to `StageFailureClassifying` are transient:
    /// an outage nobody foresaw must never dead-letter anything.
    public init(classifying error: any Error) {
        self = (error as? any StageFailureClassifying)?.stageFailure ?? .transient
    }

    public var isPermanent: Bool {
        if case .permanent = self { true } else { false }
    }
}

/// An error that knows whether retrying the same input can help. Conform errors a handler may throw;
/// `stageFailure` must be cheap and free of PHI.
public protocol StageFailureClassifying: Error {
    var stageFailure: StageFailure { get }
}
