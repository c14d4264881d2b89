import Foundation
import Notification
import Testing

/// Secrets at rest: AES-GCM under the key file, bound to their subscription.
@Suite struct SecretSealerTests {
    @Test func sealedSecretsOpenOnlyForTheirSubscriptionAndKey() throws {
        let sealer = try SecretSealer(key: Array(repeating: 7, count: 32))
        let secret = WebhookSecret.generate()
        let id = UUID()
        let sealed = try sealer.seal(secret, subscription: id)
        #expect(sealed.count == 1 + 12 + 32 + 16 && sealed.first == 1)
        #expect(try sealer.open(sealed, subscription: id).bytes == secret.bytes)
        #expect(throws: WebhookError.self) { try sealer.open(sealed, subscription: UUID()) }
        let other = try SecretSealer(key: Array(repeating: 8, count: 32))
        #expect(throws: WebhookError.self) { try other.open(sealed, subscription: id) }
        #expect(throws: WebhookError.self) { try SecretSealer(key: Array(repeating: 7, count: 16)) }
    }

    @Test func keyFileMustBeThirtyTwoBytesAndPrivate() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-key-\(UUID())").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(FileManager.default.createFile(atPath: path, contents: Data(repeating: 1, count: 32)))
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let variables = ["VIGIL_NOTIFY_WEBHOOK_KEY_FILE": path]
        #expect(throws: WebhookError.self) { try SecretSealer.load { variables[$0] } }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        _ = try SecretSealer.load { variables[$0] }
        #expect(throws: WebhookError.self) { try SecretSealer.load { _ in nil } }
    }
}
