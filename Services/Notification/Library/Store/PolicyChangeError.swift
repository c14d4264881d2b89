/// Why a step of a policy change was refused. Descriptions name versions and statuses, never patient data.
public struct PolicyChangeError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        case notFound = "not_found"
        /// The version's status does not allow the step (approving a rejected one, rolling back one not in force).
        case conflict
        /// The approver proposed the change: approval needs a second person.
        case samePerson = "same_person"
        /// A malformed request: a shadow report that is not a JSON object, an effective time in the past.
        case invalid
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
