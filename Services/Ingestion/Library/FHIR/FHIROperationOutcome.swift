import Foundation

/// A FHIR R4 `OperationOutcome` as the intake returns it.
///
/// Diagnostics are composed inside this module from fixed text, element names and allowed codes only:
/// they say what is wrong and where, never which value was sent (payloads carry PHI).
public struct FHIROperationOutcome: Hashable, Sendable {
    public struct Issue: Hashable, Sendable {
        public enum Severity: String, Hashable, Sendable, CaseIterable {
            case fatal, error, warning, information
        }

        /// The R4 `IssueType` codes the intake uses.
        public enum Code: String, Hashable, Sendable, CaseIterable {
            case invalid, structure, required, value, invariant, processing, duplicate, informational, transient
            case notSupported = "not-supported"
            case codeInvalid = "code-invalid"
            case notFound = "not-found"
            case tooCostly = "too-costly"
        }

        public let severity: Severity
        public let code: Code
        public let diagnostics: String
        /// FHIRPath of the element concerned (`Bundle.entry[3].resource.status`); empty when none applies.
        public let expression: [String]

        init(severity: Severity, code: Code, diagnostics: String, expression: String?) {
            self.severity = severity
            self.code = code
            self.diagnostics = diagnostics
            self.expression = expression.map { [$0] } ?? []
        }

        public var isError: Bool { severity == .error || severity == .fatal }
    }

    public var issues: [Issue]

    public init(issues: [Issue]) {
        self.issues = issues
    }

    public var hasErrors: Bool { issues.contains(where: \.isError) }

    /// The resource as JSON (`application/fhir+json`), keys sorted.
    public func jsonBytes() -> [UInt8] {
        let issueObjects: [[String: Any]] = issues.map { issue in
            var object: [String: Any] = [
                "severity": issue.severity.rawValue, "code": issue.code.rawValue, "diagnostics": issue.diagnostics,
            ]
            if !issue.expression.isEmpty { object["expression"] = issue.expression }
            return object
        }
        // An R4 OperationOutcome needs at least one issue.
        let list =
            issueObjects.isEmpty
            ? [["severity": "information", "code": "informational", "diagnostics": "All OK"]] : issueObjects
        let root: [String: Any] = ["resourceType": "OperationOutcome", "issue": list]
        let data = (try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .withoutEscapingSlashes]))
        return data.map(Array.init) ?? Array(#"{"resourceType":"OperationOutcome","issue":[]}"#.utf8)
    }
}

/// Collects issues while validating and mapping; caps their number so a pathological body cannot
/// produce an unbounded response.
struct FHIRIssueLog {
    static let limit = 100

    private(set) var issues: [FHIROperationOutcome.Issue] = []
    private(set) var reasons: Set<FHIRDeadLetterReason> = []
    private(set) var errorCount = 0
    private(set) var dropped = 0

    var hasErrors: Bool { errorCount > 0 }

    mutating func error(
        _ code: FHIROperationOutcome.Issue.Code, _ diagnostics: String, at path: String?,
        reason: FHIRDeadLetterReason = .validationFailed
    ) {
        errorCount += 1
        reasons.insert(reason)
        append(.init(severity: .error, code: code, diagnostics: diagnostics, expression: path))
    }

    mutating func warning(_ code: FHIROperationOutcome.Issue.Code, _ diagnostics: String, at path: String?) {
        append(.init(severity: .warning, code: code, diagnostics: diagnostics, expression: path))
    }

    private mutating func append(_ issue: FHIROperationOutcome.Issue) {
        guard issues.count < Self.limit * 4 else {
            dropped += 1
            return
        }
        issues.append(issue)
    }

    /// Errors first, then by expression, capped at `limit` with a closing note of how many were left out.
    func outcome(errorsOnly: Bool = false) -> FHIROperationOutcome {
        var list = errorsOnly ? issues.filter(\.isError) : issues
        list.sort { a, b in
            if a.isError != b.isError { return a.isError }
            return (a.expression.first ?? "", a.diagnostics) < (b.expression.first ?? "", b.diagnostics)
        }
        let left = list.count - min(list.count, Self.limit) + dropped
        list = Array(list.prefix(Self.limit))
        if left > 0 {
            list.append(
                .init(
                    severity: .information, code: .tooCostly, diagnostics: "\(left) further issue(s) not listed",
                    expression: nil))
        }
        return FHIROperationOutcome(issues: list)
    }

    /// The dead-letter reason for the errors collected: encoding beats unsupported beats invalid.
    var rejectionReason: FHIRDeadLetterReason {
        for reason in [FHIRDeadLetterReason.parseError, .encodingError, .unsupportedMessage] where reasons.contains(reason) {
            return reason
        }
        return .validationFailed
    }
}
