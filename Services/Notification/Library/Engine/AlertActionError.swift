/// Why a clinician's action was refused. `invalid` maps to HTTP 422, `conflict` and `staleRevision` to 409.
public struct AlertActionError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// The request itself is wrong: missing or unknown reason code, `other` without text, snooze too long or
        /// not allowed at this severity.
        case invalid
        /// Not possible in the episode's state (e.g. acknowledging a retracted alert).
        case conflict
        /// The clinician acted on an older revision than the current one.
        case staleRevision = "stale_revision"
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
