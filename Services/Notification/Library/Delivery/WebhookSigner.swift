import Crypto
import Foundation

/// Standard Webhooks signing: `webhook-signature: v1,<base64(HMAC-SHA256(key, "<id>.<timestamp>.<body>"))>`.
/// During a rotation the header carries one signature per secret, space-separated, newest first.
public enum WebhookSigner {
    public static let idHeader = "webhook-id"
    public static let timestampHeader = "webhook-timestamp"
    public static let signatureHeader = "webhook-signature"
    /// Receivers reject timestamps further than this from their clock (replay protection).
    public static let defaultTolerance = Duration.seconds(300)

    /// One `v1,<base64>` signature.
    public static func signature(id: String, timestamp: Int64, body: [UInt8], secret: WebhookSecret) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: signedContent(id, timestamp, body), using: secret.key)
        return "v1," + Data(mac).base64EncodedString()
    }

    /// The three headers for one attempt, signed with every secret given (current first).
    public static func headers(
        id: String, timestamp: Int64, body: [UInt8], secrets: [WebhookSecret]
    ) -> [(name: String, value: String)] {
        let signatures = secrets.map { signature(id: id, timestamp: timestamp, body: body, secret: $0) }
        return [
            (idHeader, id), (timestampHeader, String(timestamp)),
            (signatureHeader, signatures.joined(separator: " ")),
        ]
    }

    /// A receiver's check: the timestamp is within `tolerance` of `now` and one `v1` signature matches
    /// (compared in constant time). Throws `.verificationFailed` otherwise.
    public static func verify(
        id: String, timestamp: String, signatures: String, body: [UInt8], secret: WebhookSecret,
        now: Date = Date(), tolerance: Duration = defaultTolerance
    ) throws(WebhookError) {
        guard let seconds = Int64(timestamp) else {
            throw WebhookError(.verificationFailed, "webhook-timestamp is not unix seconds")
        }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= Double(tolerance.components.seconds) else {
            throw WebhookError(.verificationFailed, "webhook-timestamp is outside the tolerance")
        }
        let content = signedContent(id, seconds, body)
        for entry in signatures.split(separator: " ") {
            guard entry.hasPrefix("v1,"), let mac = Data(base64Encoded: String(entry.dropFirst(3))) else { continue }
            if HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: content, using: secret.key) { return }
        }
        throw WebhookError(.verificationFailed, "no webhook-signature matches")
    }

    static func signedContent(_ id: String, _ timestamp: Int64, _ body: [UInt8]) -> [UInt8] {
        Array("\(id).\(timestamp).".utf8) + body
    }
}
