/// Why de-identification refused or quarantined something. Descriptions name rules, fields and key ids,
/// never values.
public struct DeidError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        case policyError = "policy_error"
        case keyError = "key_error"
        case vaultUnavailable = "vault_unavailable"
        case scrubberError = "scrubber_error"
        case decodeError = "decode_error"
        case egressPHIDetected = "egress_phi_detected"
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
