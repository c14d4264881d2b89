import Foundation
import Notification
import Testing

/// Standard Webhooks signing. Expected signatures were computed outside this code, with Python's `hmac` and
/// `base64` (the first is also the spec's published vector), and are written here as literals.
@Suite struct WebhookSignerTests {
    @Test func signerMatchesStandardWebhooksVector() throws {
        let secret = try WebhookSecret(encoded: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let body = Array(#"{"test": 2432232314}"#.utf8)
        let signature = WebhookSigner.signature(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330, body: body, secret: secret)
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        try WebhookSigner.verify(
            id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: "1614265330", signatures: signature, body: body,
            secret: secret, now: Date(timeIntervalSince1970: 1_614_265_330 + 299))
    }

    static let current = "whsec_AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  // bytes 0...31
    static let previous = "whsec_ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="  // bytes 32...63
    static let body = Array(#"{"specversion":"1.0","id":"evt-1"}"#.utf8)

    @Test func rotationSendsTwoSignatures() throws {
        let secrets = [try WebhookSecret(encoded: Self.current), try WebhookSecret(encoded: Self.previous)]
        let headers = WebhookSigner.headers(id: "evt-1", timestamp: 1_700_000_000, body: Self.body, secrets: secrets)
        #expect(headers.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.map(\.value)[0...1] == ["evt-1", "1700000000"])
        #expect(
            headers[2].value
                == "v1,03zGUrlMJlX/xKCN0KYKkVhfuod5e2zSGYSL/o+awoU= v1,JsmmjI7IDwBAdQ2gLL6nOdId0/8s0geWvfKcAY1zTl0=")
        // A receiver holding either secret accepts the header.
        for secret in secrets {
            try WebhookSigner.verify(
                id: "evt-1", timestamp: "1700000000", signatures: headers[2].value, body: Self.body, secret: secret,
                now: Date(timeIntervalSince1970: 1_700_000_000))
        }
    }

    @Test func verifyRejectsTamperingWrongSecretsAndOldTimestamps() throws {
        let secret = try WebhookSecret(encoded: Self.current)
        let other = try WebhookSecret(encoded: Self.previous)
        let signed = WebhookSigner.signature(id: "evt-1", timestamp: 1_700_000_000, body: Self.body, secret: secret)
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        func verify(_ id: String, _ time: String, _ body: [UInt8], _ key: WebhookSecret, at: Date) -> WebhookError? {
            do {
                try WebhookSigner.verify(id: id, timestamp: time, signatures: signed, body: body, secret: key, now: at)
                return nil
            } catch { return error }
        }
        #expect(verify("evt-1", "1700000000", Self.body + [0x20], secret, at: now)?.code == .verificationFailed)
        #expect(verify("evt-2", "1700000000", Self.body, secret, at: now)?.code == .verificationFailed)
        #expect(verify("evt-1", "1700000001", Self.body, secret, at: now)?.code == .verificationFailed)
        #expect(verify("evt-1", "1700000000", Self.body, other, at: now)?.code == .verificationFailed)
        #expect(verify("evt-1", "1700000000", Self.body, secret, at: now.addingTimeInterval(301)) != nil)
        #expect(verify("evt-1", "1700000000", Self.body, secret, at: now.addingTimeInterval(-301)) != nil)
        #expect(verify("evt-1", "1700000000", Self.body, secret, at: now.addingTimeInterval(300)) == nil)
    }

    @Test func secretsParseGenerateAndNeverPrint() throws {
        let secret = WebhookSecret.generate()
        #expect(secret.bytes.count == 32 && secret.encoded.hasPrefix("whsec_"))
        #expect(try WebhookSecret(encoded: secret.encoded).bytes == secret.bytes)
        #expect(WebhookSecret.generate().bytes != secret.bytes)
        let encodedKey = String(secret.encoded.dropFirst(6))
        for text in ["\(secret)", String(reflecting: secret), "\([secret])", "\(Optional(secret) as Any)"] {
            #expect(!text.contains(encodedKey) && !text.contains("\(secret.bytes)"))
        }
        #expect(throws: WebhookError.self) { try WebhookSecret(encoded: "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw") }
        #expect(throws: WebhookError.self) { try WebhookSecret(encoded: "whsec_AAEC") }  // 3 bytes
        #expect(throws: WebhookError.self) { try WebhookSecret(encoded: "whsec_not base64!") }
    }
}
