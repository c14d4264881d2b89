import Crypto
import Foundation

/// A stable, keyed pseudonym for a patient: `p1.<keyid>.<base32 HMAC-SHA256>`.
///
/// Not PHI: without the key it cannot be linked back to the patient, so it may appear in logs, Kafka
/// keys and alert payloads. The key id travels inside the value, so after a key rotation old pseudonyms
/// still say which key made them (and the re-id vault knows where to look).
public struct Pseudonym: Hashable, Comparable, Sendable, Codable, LosslessStringConvertible {
    public let rawValue: String

    static let prefix = "p1."
    static let digestLength = 52  // base32 characters for 32 bytes
    /// HMAC keys shorter than the hash output weaken it; refuse them rather than trust configuration.
    public static let minimumKeyLength = 32

    /// Validates the `p1.<keyid>.<52 base32>` form.
    public init?(_ description: String) {
        guard description.hasPrefix(Self.prefix) else { return nil }
        let rest = description.dropFirst(Self.prefix.count)
        let parts = rest.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, Self.isValidKeyID(parts[0]), parts[1].utf8.count == Self.digestLength,
            Base32.decode(parts[1]) != nil
        else { return nil }
        rawValue = description
    }

    /// Derives the pseudonym of `patientID` as assigned by `assigningAuthority` (e.g. an MRN and its
    /// hospital's OID). Deterministic: the same inputs and key always give the same pseudonym.
    ///
    /// Identifiers are used byte-for-byte; callers normalise them (trim, case) consistently beforehand.
    /// - Throws: `ModelCoreError` `.invalidPseudonym` (field `keyID`) or `.weakKey` (field `key`).
    public static func derive(
        assigningAuthority: String, patientID: String, key: some ContiguousBytes, keyID: String
    ) throws -> Pseudonym {
        guard isValidKeyID(Substring(keyID)) else {
            throw ModelCoreError(.invalidPseudonym, field: "keyID", reason: "key id must be 1-32 of [a-z0-9-]")
        }
        let keyLength = key.withUnsafeBytes { $0.count }
        guard keyLength >= minimumKeyLength else {
            throw ModelCoreError(.weakKey, field: "key", reason: "pseudonym keys need at least 32 bytes")
        }
        let mac = hmacSHA256(key: key, message: message(assigningAuthority: assigningAuthority, patientID: patientID))
        return Pseudonym(unchecked: prefix + keyID + "." + Base32.encode(mac))
    }

    /// The id of the key that produced this pseudonym.
    public var keyID: String {
        let rest = rawValue.dropFirst(Self.prefix.count)
        return String(rest[..<rest.firstIndex(of: ".")!])
    }

    public var description: String { rawValue }

    public static func < (lhs: Pseudonym, rhs: Pseudonym) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let pseudonym = Pseudonym(text) else {
            throw ModelCoreError(.invalidPseudonym, reason: "malformed pseudonym").at(decoder.codingPath)
        }
        self = pseudonym
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    private init(unchecked: String) { rawValue = unchecked }

    /// The HMAC input: domain tag, authority and id, each length-prefixed (see `HashFraming`).
    static func message(assigningAuthority: String, patientID: String) -> [UInt8] {
        HashFraming.frame(["vigil.pseudonym/1", assigningAuthority, patientID])
    }

    /// The one place the MAC is computed; tests check it against RFC 4231 vectors.
    static func hmacSHA256(key: some ContiguousBytes, message: [UInt8]) -> [UInt8] {
        let symmetricKey = key.withUnsafeBytes { SymmetricKey(data: $0) }
        return Array(HMAC<SHA256>.authenticationCode(for: message, using: symmetricKey))
    }

    public static func isValidKeyID(_ text: Substring) -> Bool {
        (1...32).contains(text.utf8.count)
            && text.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == UInt8(ascii: "-") }
    }
}
