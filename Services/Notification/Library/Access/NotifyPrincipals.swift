import Crypto
import Foundation
import VigilModelCore

/// Who may use the notify API and oversight page: named principals holding a bearer token (only its SHA-256 is
/// configured), roles, and unit globs limiting which alerts a clinician sees and acts on.
///
/// `VIGIL_NOTIFY_PRINCIPALS`: a JSON file path, or the JSON itself:
/// `[{"id": "dr-grey", "tokenSHA256": "<hex>", "roles": ["clinician"], "units": ["ICU*"]}]`.
public struct NotifyPrincipals: Sendable {
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case clinician, auditor, admin, integration
    }

    public struct Principal: Sendable, Hashable, Codable {
        public var id: String
        public var tokenSHA256: String
        public var roles: Set<Role>
        /// Unit code globs; `*` also covers alerts without a unit.
        public var units: [String]

        public init(id: String, tokenSHA256: String, roles: Set<Role>, units: [String] = []) {
            self.id = id
            self.tokenSHA256 = tokenSHA256
            self.roles = roles
            self.units = units
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            tokenSHA256 = try container.decode(String.self, forKey: .tokenSHA256)
            roles = try container.decode(Set<Role>.self, forKey: .roles)
            units = try container.decodeIfPresent([String].self, forKey: .units) ?? []
        }

        /// The audit actor: the reid form `user:<id>`.
        public var actor: String { "user:\(id)" }

        /// Whether an alert of `unit` is in scope; an alert without a unit only for `*`.
        public func covers(unit: String?) -> Bool {
            guard let unit else { return units.contains("*") }
            return units.contains { Glob.matches($0, unit) }
        }
    }

    public struct LoadError: Error, CustomStringConvertible {
        public var description: String
    }

    public let principals: [Principal]

    public init(_ principals: [Principal]) {
        self.principals = principals
    }

    /// `source` is inline JSON (starts with `[`) or a file path.
    public static func load(_ source: String) throws -> NotifyPrincipals {
        let trimmed = source.trimmingCharacters(in: .whitespacesAndNewlines)
        let data: Data
        if trimmed.hasPrefix("[") {
            data = Data(trimmed.utf8)
        } else {
            guard let contents = FileManager.default.contents(atPath: trimmed) else {
                throw LoadError(description: "VIGIL_NOTIFY_PRINCIPALS: cannot read \(trimmed)")
            }
            data = contents
        }
        guard let list = try? JSONDecoder().decode([Principal].self, from: data) else {
            throw LoadError(description: "VIGIL_NOTIFY_PRINCIPALS is not a list of principals with known roles")
        }
        let ids = Set(list.map(\.id))
        guard ids.count == list.count, !ids.contains(where: \.isEmpty) else {
            throw LoadError(description: "VIGIL_NOTIFY_PRINCIPALS: principal ids must be unique and non-empty")
        }
        return NotifyPrincipals(list)
    }

    /// The principal whose token this is: the token's SHA-256 (hex) against every entry in constant time, so
    /// timing tells nothing about which entry or how many characters matched.
    public func principal(token: String) -> Principal? {
        let digest = Array(Hex.encode(SHA256.hash(data: Data(token.utf8))).utf8)
        var found: Principal?
        for principal in principals where ConstantTime.equal(Array(principal.tokenSHA256.lowercased().utf8), digest) {
            found = principal
        }
        return found
    }

    public func principal(id: String) -> Principal? {
        principals.first { $0.id == id }
    }
}

enum ConstantTime {
    /// Byte equality whose time depends only on the lengths.
    static func equal(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
