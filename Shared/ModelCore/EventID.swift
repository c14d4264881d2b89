import Crypto

/// A deterministic event id: `e1.` + base32(SHA-256(framed namespace and parts)).
///
/// Derived from where the event came from (message control id + position), never random, so a replayed
/// or redelivered message yields the same id and every `ON CONFLICT DO NOTHING` downstream absorbs it.
public struct EventID: Hashable, Comparable, Sendable, Codable, LosslessStringConvertible {
    public let rawValue: String

    static let prefix = "e1."
    static let digestLength = 52  // base32 characters for 32 bytes

    /// Validates the `e1.<52 base32>` form.
    public init?(_ description: String) {
        guard description.hasPrefix(Self.prefix) else { return nil }
        let digest = description.dropFirst(Self.prefix.count)
        guard digest.utf8.count == Self.digestLength, Base32.decode(digest) != nil else { return nil }
        rawValue = description
    }

    private init(digestOf parts: [String]) {
        let hash = SHA256.hash(data: HashFraming.frame(["vigil.event-id/1"] + parts))
        rawValue = Self.prefix + Base32.encode(hash)
    }

    /// The id of the event at `position` (e.g. segment or bundle-entry index) within a source message.
    public static func derive(system: String, messageControlID: String, position: Int) -> EventID {
        EventID(digestOf: ["source", system, messageControlID, String(position)])
    }

    /// The id of the event a source position produced.
    public init(source: EventSource) {
        self = Self.derive(system: source.system, messageControlID: source.messageControlID, position: source.position)
    }

    /// An id for a derived record (risk score, alert transition). `namespace` keeps kinds of records apart;
    /// `parts` must identify the record uniquely and stably across replays.
    public static func derive(namespace: String, parts: [String]) -> EventID {
        EventID(digestOf: [namespace] + parts)
    }

    public var description: String { rawValue }

    public static func < (lhs: EventID, rhs: EventID) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = EventID(text) else {
            throw ModelCoreError(.invalidEventID, reason: "malformed event id").at(decoder.codingPath)
        }
        self = id
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A lower-case hex SHA-256 digest, e.g. of a model artifact.
public struct HexDigest: Hashable, Sendable, Codable, LosslessStringConvertible {
    public let hex: String

    /// Accepts exactly 64 lower-case hex characters.
    public init?(_ description: String) {
        guard description.utf8.count == 64,
            description.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) })
        else { return nil }
        hex = description
    }

    public static func sha256(of bytes: some Sequence<UInt8>) -> HexDigest {
        let digest = SHA256.hash(data: Array(bytes))
        return HexDigest(
            hexUnchecked: Hex.encode(digest))
    }

    /// SHA-256 of length-prefixed UTF-8 parts (the framing `EventID` and `Pseudonym` use), e.g. for
    /// partition keys derived from several identifiers.
    public static func sha256(framing parts: [String]) -> HexDigest {
        sha256(of: HashFraming.frame(parts))
    }

    private init(hexUnchecked: String) { hex = hexUnchecked }

    public var description: String { hex }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let digest = HexDigest(text) else {
            throw ModelCoreError(.invalidPayload, reason: "expected 64 lower-case hex characters")
                .at(decoder.codingPath)
        }
        self = digest
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
