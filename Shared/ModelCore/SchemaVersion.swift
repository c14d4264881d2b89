/// A `major.minor` schema version. Readers accept any minor of the major they know (minors only add
/// optional fields); a different major is a breaking change and is rejected.
public struct SchemaVersion: Hashable, Comparable, Sendable, Codable, LosslessStringConvertible {
    public var major: Int
    public var minor: Int

    public init(major: Int, minor: Int) {
        precondition(major >= 0 && minor >= 0, "schema versions are non-negative")
        self.major = major
        self.minor = minor
    }

    /// Parses `"1.0"`: two decimal numbers without signs or leading zeros (other than `0` itself).
    public init?(_ description: String) {
        let parts = description.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let major = Self.number(parts[0]), let minor = Self.number(parts[1]) else {
            return nil
        }
        self.init(major: major, minor: minor)
    }

    public var description: String { "\(major).\(minor)" }

    /// Whether a reader built for `self` can read a value written at `other`.
    public func canRead(_ other: SchemaVersion) -> Bool { other.major == major }

    public static func < (lhs: SchemaVersion, rhs: SchemaVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let version = SchemaVersion(text) else {
            throw ModelCoreError(.invalidPayload, reason: "malformed schema version").at(decoder.codingPath)
        }
        self = version
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func number(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 6, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard text == "0" || text.first != "0" else { return nil }
        return Int(text)
    }
}

/// The `"schema"` value at the top of every Vigil JSON value: `vigil.clinical-event/1.0`.
public struct SchemaIdentifier: Hashable, Sendable, Codable, LosslessStringConvertible {
    public var name: String
    public var version: SchemaVersion

    public init(name: String, version: SchemaVersion) {
        self.name = name
        self.version = version
    }

    public init?(_ description: String) {
        guard let slash = description.lastIndex(of: "/") else { return nil }
        let name = description[..<slash]
        guard !name.isEmpty, name.allSatisfy(Self.isNameCharacter),
            let version = SchemaVersion(String(description[description.index(after: slash)...]))
        else { return nil }
        self.init(name: String(name), version: version)
    }

    public var description: String { "\(name)/\(version)" }

    /// The form used for the CloudEvents `dataschema` attribute, which must be a URI.
    public var uri: String { Self.uriPrefix + description }

    /// Parses the `dataschema` URI form produced by `uri`.
    public init?(uri: String) {
        guard uri.hasPrefix(Self.uriPrefix) else { return nil }
        self.init(String(uri.dropFirst(Self.uriPrefix.count)))
    }

    static let uriPrefix = "urn:vigil:schema:"

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let identifier = SchemaIdentifier(text) else {
            throw ModelCoreError(.invalidPayload, reason: "malformed schema identifier").at(decoder.codingPath)
        }
        self = identifier
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func isNameCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLowercase || c.isNumber || c == "." || c == "-")
    }
}

/// A JSON value that carries its schema at top level under `"schema"`.
///
/// Conformers encode `Self.schema` and, when decoding, call `checkSchema` *before* reading other fields,
/// so a value from an unknown major version fails with `.unsupportedSchemaVersion` rather than with a
/// confusing missing-field error.
public protocol VersionedPayload: Codable, Sendable {
    /// e.g. `vigil.clinical-event`
    static var schemaName: String { get }
    /// The version this build writes; it reads every minor of the same major.
    static var schemaVersion: SchemaVersion { get }
}

extension VersionedPayload {
    public static var schema: SchemaIdentifier { SchemaIdentifier(name: schemaName, version: schemaVersion) }

    /// Validates a schema identifier found in data (payload field or `dataschema` attribute).
    public static func checkSchema(_ found: SchemaIdentifier, field: String = "schema") throws {
        guard found.name == schemaName else {
            throw ModelCoreError(.schemaMismatch, field: field, reason: "schema name is not the expected one")
        }
        guard schemaVersion.canRead(found.version) else {
            throw ModelCoreError(
                .unsupportedSchemaVersion, field: field, version: found.version,
                reason: "unknown major schema version")
        }
    }
}

/// The coding key every versioned payload uses for its schema identifier.
enum SchemaCodingKey: String, CodingKey {
    case schema
}

extension VersionedPayload {
    /// Reads and checks `"schema"`; call first in `init(from:)`.
    public static func checkSchema(in decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: SchemaCodingKey.self)
        let found = try container.decode(SchemaIdentifier.self, forKey: .schema)
        do {
            try checkSchema(found)
        } catch let error as ModelCoreError {
            throw error.at(decoder.codingPath + [SchemaCodingKey.schema])
        }
    }

    /// Writes `"schema"`; call in `encode(to:)`.
    public static func writeSchema(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: SchemaCodingKey.self)
        try container.encode(schema, forKey: .schema)
    }
}
