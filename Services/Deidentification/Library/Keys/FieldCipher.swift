import Crypto
import Foundation

/// `encrypt`: AES-GCM under the keyring's encryption subkey, the field path as authenticated data, written
/// `enc1.<keyid>.<base64url(nonce ‖ ciphertext ‖ tag)>`; only the vault's holders can open it.
enum FieldCipher {
    static func seal(_ text: String, path: String, keyring: DeidKeyring) throws -> String {
        let box = try AES.GCM.seal(Data(text.utf8), using: keyring.key(.encrypt), authenticating: Data(path.utf8))
        guard let combined = box.combined else { throw DeidError(.keyError, "AES-GCM produced no combined form") }
        let encoded = combined.base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return "enc1.\(keyring.currentID).\(encoded)"
    }

    static func open(_ sealed: String, path: String, keyring: DeidKeyring) throws -> String {
        let parts = sealed.split(separator: ".", maxSplits: 2).map(String.init)
        guard parts.count == 3, parts[0] == "enc1", keyring.ids.contains(parts[1]) else {
            throw DeidError(.keyError, "not an enc1 value of a known key")
        }
        var base64 = parts[2].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { throw DeidError(.keyError, "enc1 value is not base64url") }
        let box = try AES.GCM.SealedBox(combined: data)
        let plain = try AES.GCM.open(box, using: keyring.key(.encrypt, id: parts[1]), authenticating: Data(path.utf8))
        return String(decoding: plain, as: UTF8.self)
    }
}
