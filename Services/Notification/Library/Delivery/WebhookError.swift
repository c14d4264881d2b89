/// Why a webhook operation was refused. Descriptions are fixed phrases: never a secret, URL or body.
public struct WebhookError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// Not `whsec_<base64>` of 24 to 64 bytes.
        case invalidSecret = "invalid_secret"
        /// Not https (or loopback http when allowed).
        case invalidURL = "invalid_url"
        /// The sealing key is missing, unreadable, too open, the wrong size, or does not open a secret.
        case keyError = "key_error"
        case notFound = "not_found"
        /// A receiver-side check failed: bad headers, no matching signature, or a timestamp out of tolerance.
        case verificationFailed = "verification_failed"
    }

    public var code: Code
    public var reason: String

    public init(_ code: Code, _ reason: String) {
        self.code = code
        self.reason = reason
    }

    public var description: String { "\(code.rawValue): \(reason)" }
}
