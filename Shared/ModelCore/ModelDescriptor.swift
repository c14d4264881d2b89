/// Which model produced something: enough to find the exact artifact again (record-keeping, AI Act Art 12).
public struct ModelReference: Hashable, Sendable, Codable {
    /// Stable model name, e.g. `news2`.
    public var id: String
    /// The model's own version string, e.g. `1.2.0`.
    public var version: String
    /// SHA-256 of the model artifact (or of the rule definition for rule-based scores).
    public var sha256: HexDigest

    public init(id: String, version: String, sha256: HexDigest) {
        self.id = id
        self.version = version
        self.sha256 = sha256
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        version = try container.decode(String.self, forKey: .version)
        sha256 = try container.decode(HexDigest.self, forKey: .sha256)
        for (key, text) in [(CodingKeys.id, id), (.version, version)] where text.isEmpty {
            throw ModelCoreError(.invalidPayload, reason: "must not be empty").at(decoder.codingPath + [key])
        }
    }

    private enum CodingKeys: String, CodingKey {
        case id, version, sha256
    }
}

/// Lifecycle of a model in the registry. Models start in shadow and are promoted explicitly (Art 14).
public enum ModelStatus: String, Hashable, Sendable, Codable, CaseIterable {
    /// Scores are computed and stored, but raise no alerts.
    case shadow
    /// Scores raise alerts.
    case active
    /// Replaced by a newer version; no longer scores.
    case retired
    /// Halted by the stop switch: no alerts until a human restarts it.
    case stopped

    /// Whether scores from a model in this status may raise alerts.
    public var raisesAlerts: Bool { self == .active }
}

/// A model registry entry.
public struct ModelDescriptor: Hashable, Sendable, Codable {
    public var id: String
    public var version: String
    public var sha256: HexDigest
    public var status: ModelStatus

    public init(id: String, version: String, sha256: HexDigest, status: ModelStatus) {
        self.id = id
        self.version = version
        self.sha256 = sha256
        self.status = status
    }

    public var reference: ModelReference { ModelReference(id: id, version: version, sha256: sha256) }
}
