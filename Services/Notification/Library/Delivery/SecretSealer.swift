import Crypto
import Foundation

/// Seals webhook secrets at rest with AES-GCM under a 32-byte key (the file named by
/// `VIGIL_NOTIFY_WEBHOOK_KEY_FILE`, written by `make up` in dev). Stored as `0x01 ‖ nonce ‖ ciphertext ‖ tag`;
/// the subscription id is authenticated data, so a sealed secret copied onto another row does not open.
public struct SecretSealer: Sendable {
    public static let keyFileVariable = "VIGIL_NOTIFY_WEBHOOK_KEY_FILE"
    static let version: UInt8 = 1
    /// SymmetricKey is not Sendable, so the bytes are kept and wrapped on use.
    private let key: [UInt8]

    public init(key: [UInt8]) throws(WebhookError) {
        guard key.count == 32 else { throw WebhookError(.keyError, "the webhook sealing key must be 32 bytes") }
        self.key = key
    }

    /// Reads the key file named by `VIGIL_NOTIFY_WEBHOOK_KEY_FILE`: 32 raw bytes, mode 0600.
    public static func load(_ variable: (String) -> String?) throws(WebhookError) -> SecretSealer {
        guard let path = variable(keyFileVariable), !path.isEmpty else {
            throw WebhookError(.keyError, "set \(keyFileVariable) to the webhook sealing key file")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw WebhookError(.keyError, "\(keyFileVariable): cannot read \(path)")
        }
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let mode = attributes?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw WebhookError(
                .keyError, "\(keyFileVariable): \(path) must not be readable by group or others (chmod 600)")
        }
        return try SecretSealer(key: Array(data))
    }

    public func seal(_ secret: WebhookSecret, subscription: UUID) throws(WebhookError) -> [UInt8] {
        do {
            let box = try AES.GCM.seal(
                secret.bytes, using: SymmetricKey(data: key), authenticating: Self.aad(subscription))
            guard let combined = box.combined else {
                throw WebhookError(.keyError, "AES-GCM produced no combined form")
            }
            return [Self.version] + Array(combined)
        } catch let error as WebhookError {
            throw error
        } catch {
            throw WebhookError(.keyError, "cannot seal a webhook secret")
        }
    }

    public func open(_ sealed: [UInt8], subscription: UUID) throws(WebhookError) -> WebhookSecret {
        guard sealed.first == Self.version,
            let box = try? AES.GCM.SealedBox(combined: Array(sealed.dropFirst())),
            let plain = try? AES.GCM.open(box, using: SymmetricKey(data: key), authenticating: Self.aad(subscription))
        else { throw WebhookError(.keyError, "a sealed webhook secret does not open under this key") }
        return try WebhookSecret(bytes: Array(plain))
    }

    private static func aad(_ subscription: UUID) -> [UInt8] {
        Array("vigil.notify.webhook-secret/1:\(subscription.uuidString.lowercased())".utf8)
    }
}
