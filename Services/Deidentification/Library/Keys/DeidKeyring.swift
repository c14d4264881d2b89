import Crypto
import Foundation
import VigilModelCore

/// The de-identification secrets: named keys, one of them current. Every use gets its own HKDF-SHA256
/// subkey (pseudonyms, date shifts, hashes, encryption, the vault), so one output never helps attack another.
///
/// JSON, from `VIGIL_DEID_KEYRING` or the file named by `VIGIL_DEID_KEYRING_FILE` (mode 0600):
/// `{"current": "k2", "keys": {"k1": "<base64, 32+ bytes>", "k2": "…"}}`. Retired keys stay listed so
/// pseudonyms made under them remain resolvable after a rotation.
public struct DeidKeyring: Sendable {
    public enum Purpose: String, Sendable, CaseIterable {
        case pseudonym = "vigil.pseudonym/1"
        case dateShift = "vigil.dateshift/1"
        case hash = "vigil.hash/1"
        case encrypt = "vigil.encrypt/1"
        case vault = "vigil.vault/1"
        case vaultMAC = "vigil.vault-mac/1"
        case perturb = "vigil.perturb/1"
        case reidGrant = "vigil.reid-grant/1"
    }

    public let currentID: String
    /// Key ids, newest (current) first, then the others in descending id order.
    public let ids: [String]
    private let subkeys: [String: [Purpose: [UInt8]]]

    public init(current: String, keys: [String: [UInt8]]) throws(DeidError) {
        guard keys[current] != nil else { throw DeidError(.keyError, "keyring: current key \(current) is not listed") }
        var derived: [String: [Purpose: [UInt8]]] = [:]
        var seen: Set<[UInt8]> = []
        for (id, secret) in keys {
            guard Pseudonym.isValidKeyID(Substring(id)) else {
                throw DeidError(.keyError, "keyring: key id must be 1-32 of [a-z0-9-]")
            }
            guard secret.count >= 32 else { throw DeidError(.keyError, "keyring: key \(id) is shorter than 32 bytes") }
            guard seen.insert(secret).inserted else { throw DeidError(.keyError, "keyring: key \(id) repeats another key") }
            var purposes: [Purpose: [UInt8]] = [:]
            for purpose in Purpose.allCases {
                purposes[purpose] = HKDF<SHA256>.deriveKey(
                    inputKeyMaterial: SymmetricKey(data: secret), info: Data(purpose.rawValue.utf8), outputByteCount: 32
                ).withUnsafeBytes { Array($0) }
            }
            derived[id] = purposes
        }
        currentID = current
        ids = [current] + keys.keys.filter { $0 != current }.sorted(by: >)
        subkeys = derived
    }

    /// Reads the keyring from `VIGIL_DEID_KEYRING` or `VIGIL_DEID_KEYRING_FILE`.
    public static func load(_ variable: (String) -> String?) throws(DeidError) -> DeidKeyring {
        let text: String
        if let inline = variable("VIGIL_DEID_KEYRING"), !inline.isEmpty {
            text = inline
        } else if let path = variable("VIGIL_DEID_KEYRING_FILE"), !path.isEmpty {
            let attributes = try? FileManager.default.attributesOfItem(atPath: path)
            guard let data = FileManager.default.contents(atPath: path) else {
                throw DeidError(.keyError, "VIGIL_DEID_KEYRING_FILE: cannot read \(path)")
            }
            if let mode = attributes?[.posixPermissions] as? Int, mode & 0o077 != 0 {
                throw DeidError(.keyError, "VIGIL_DEID_KEYRING_FILE: \(path) must not be readable by group or others (chmod 600)")
            }
            text = String(decoding: data, as: UTF8.self)
        } else {
            throw DeidError(.keyError, "set VIGIL_DEID_KEYRING_FILE (or VIGIL_DEID_KEYRING) to the de-identification keyring")
        }
        struct File: Decodable {
            var current: String
            var keys: [String: String]
        }
        guard let file = try? JSONDecoder().decode(File.self, from: Data(text.utf8)) else {
            throw DeidError(.keyError, "keyring: expected {\"current\": id, \"keys\": {id: base64}}")
        }
        var keys: [String: [UInt8]] = [:]
        for (id, encoded) in file.keys {
            guard let bytes = Data(base64Encoded: encoded) else { throw DeidError(.keyError, "keyring: key \(id) is not base64") }
            keys[id] = Array(bytes)
        }
        return try DeidKeyring(current: file.current, keys: keys)
    }

    /// A purpose's subkey (SymmetricKey is not Sendable, so the bytes are kept and wrapped on use).
    public func key(_ purpose: Purpose, id: String? = nil) -> SymmetricKey {
        SymmetricKey(data: subkeys[id ?? currentID]![purpose]!)
    }

    /// HMAC-SHA256 of length-prefixed parts under a purpose's subkey.
    public func mac(_ purpose: Purpose, id: String? = nil, _ parts: [String]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: HashFraming.frame([purpose.rawValue] + parts), using: key(purpose, id: id)))
    }

    public func pseudonym(authority: String, patientID: String, keyID: String? = nil) throws -> Pseudonym {
        let id = keyID ?? currentID
        return try key(.pseudonym, id: id).withUnsafeBytes { bytes in
            try Pseudonym.derive(assigningAuthority: authority, patientID: patientID, key: Array(bytes), keyID: id)
        }
    }
}
