import Crypto
import Foundation

/// A signing secret: the HMAC key. Its text form `whsec_<base64>` is shown once, at creation or rotation;
/// `description` and reflection never show the key, so a stray interpolation cannot log it.
public struct WebhookSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public static let prefix = "whsec_"
    /// Standard Webhooks allows 24 to 64 bytes; Vigil makes 32.
    static let allowedLengths = 24...64

    public let bytes: [UInt8]

    public init(bytes: [UInt8]) throws(WebhookError) {
        guard Self.allowedLengths.contains(bytes.count) else {
            throw WebhookError(.invalidSecret, "a webhook secret must be 24 to 64 bytes")
        }
        self.bytes = bytes
    }

    /// Parses `whsec_<base64>`.
    public init(encoded: String) throws(WebhookError) {
        guard encoded.hasPrefix(Self.prefix),
            let data = Data(base64Encoded: String(encoded.dropFirst(Self.prefix.count)))
        else { throw WebhookError(.invalidSecret, "expected whsec_<base64>") }
        try self.init(bytes: Array(data))
    }

    /// 32 bytes from the system's CSPRNG.
    public static func generate() -> WebhookSecret {
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        return try! WebhookSecret(bytes: key)  // 32 is within the allowed lengths
    }

    /// `whsec_<base64>`: hand it to the receiver once; never log it.
    public var encoded: String { Self.prefix + Data(bytes).base64EncodedString() }

    public var description: String { "WebhookSecret(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: []) }

    var key: SymmetricKey { SymmetricKey(data: bytes) }
}
