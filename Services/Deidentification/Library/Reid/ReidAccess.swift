import Crypto
import Foundation
import Synchronization
import VigilModelCore

/// Who may re-identify: named principals holding a bearer token (only its SHA-256 is configured) and roles:
/// `reidentify` (reveal any patient, with a stated reason) and `grant` (mint a short-lived, single-patient
/// break-glass token for a clinician who received an alert).
///
/// `VIGIL_DEID_REID_PRINCIPALS`: a JSON file `[{"id": "dr-grey", "tokenSHA256": "<hex>", "roles": ["reidentify"]}]`.
public struct ReidPrincipals: Sendable {
    public struct Principal: Sendable, Hashable, Codable {
        public var id: String
        public var tokenSHA256: String
        public var roles: Set<String>

        public init(id: String, tokenSHA256: String, roles: Set<String>) {
            self.id = id
            self.tokenSHA256 = tokenSHA256
            self.roles = roles
        }
    }

    public let principals: [Principal]

    public init(_ principals: [Principal]) {
        self.principals = principals
    }

    public static func load(path: String) throws(DeidError) -> ReidPrincipals {
        guard let data = FileManager.default.contents(atPath: path),
            let list = try? JSONDecoder().decode([Principal].self, from: data)
        else { throw DeidError(.keyError, "VIGIL_DEID_REID_PRINCIPALS: \(path) is not a list of principals") }
        return ReidPrincipals(list)
    }

    /// The principal whose token this is (its SHA-256 in hex compared in constant time).
    public func principal(token: String) -> Principal? {
        let digest = Array(Hex.encode(SHA256.hash(data: Data(token.utf8))).utf8)
        return principals.first { principal in
            let expected = Array(principal.tokenSHA256.lowercased().utf8)
            return expected.count == digest.count && zip(expected, digest).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
        }
    }
}

/// A break-glass grant: one patient, one grantee, until an expiry, MAC'd with the keyring's grant subkey.
/// `g1.<pseudonym>.<grantee>.<expiry unix s>.<base32 mac>`.
public struct ReidGrant: Sendable, Hashable {
    public var pseudonym: Pseudonym
    public var grantee: String
    public var expires: Date

    public init(pseudonym: Pseudonym, grantee: String, expires: Date) {
        self.pseudonym = pseudonym
        self.grantee = grantee
        self.expires = expires
    }

    public func token(keyring: DeidKeyring) -> String {
        let expiry = String(Int(expires.timeIntervalSince1970))
        let mac = keyring.mac(.reidGrant, [pseudonym.rawValue, grantee, expiry])
        return "g1.\(pseudonym.rawValue).\(grantee).\(expiry).\(Base32.encode(mac))"
    }

    /// The grant a token carries, if its MAC checks out (expiry is checked by the caller).
    public static func verify(_ token: String, keyring: DeidKeyring) -> ReidGrant? {
        // The pseudonym itself contains dots: p1.<keyid>.<digest>.
        let parts = token.split(separator: ".").map(String.init)
        guard parts.count == 7, parts[0] == "g1", let pseudonym = Pseudonym(parts[1...3].joined(separator: ".")),
            let seconds = TimeInterval(parts[5])
        else { return nil }
        let expected = Base32.encode(keyring.mac(.reidGrant, [pseudonym.rawValue, parts[4], parts[5]]))
        guard expected.utf8.count == parts[6].utf8.count,
            zip(expected.utf8, parts[6].utf8).reduce(0, { $0 | ($1.0 ^ $1.1) }) == 0
        else { return nil }
        return ReidGrant(pseudonym: pseudonym, grantee: parts[4], expires: Date(timeIntervalSince1970: seconds))
    }
}

/// At most `limit` reveals per principal per minute.
public final class ReidRateLimiter: Sendable {
    private let limit: Int
    private let history = Mutex<[String: [Date]]>([:])

    public init(perMinute limit: Int) {
        self.limit = limit
    }

    public func allow(_ principal: String, now: Date = Date()) -> Bool {
        history.withLock { history in
            var recent = (history[principal] ?? []).filter { now.timeIntervalSince($0) < 60 }
            guard recent.count < limit else {
                history[principal] = recent
                return false
            }
            recent.append(now)
            history[principal] = recent
            return true
        }
    }
}
