/// An error from encoding, decoding or validating a shared model value.
///
/// The description names fields and attributes, never their values: payloads may carry clinical data,
/// and these errors end up in logs, metrics labels and dead-letter reason headers.
public struct ModelCoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        /// A schema or spec version whose major version this build does not understand.
        case unsupportedSchemaVersion
        /// A value's schema name is not the one the decoder expected (e.g. an identified event on a de-id topic).
        case schemaMismatch
        /// A required CloudEvents attribute (header) is absent.
        case missingAttribute
        /// A CloudEvents attribute is present but malformed, empty, duplicated or inconsistent with the data.
        case invalidAttribute
        /// The content type is not one this codec reads (e.g. structured-mode CloudEvents).
        case unsupportedContentType
        /// The JSON value is malformed or a field is missing or of the wrong shape.
        case invalidPayload
        /// A string is not a well-formed pseudonym, or a pseudonym could not be derived.
        case invalidPseudonym
        /// A string is not a well-formed event id.
        case invalidEventID
        /// A key is too short to be used for pseudonymisation.
        case weakKey
    }

    public var code: Code
    /// The field path or CloudEvents attribute name involved, if any. Never a value.
    public var field: String?
    /// The version that was found, for `.unsupportedSchemaVersion`. Versions are not sensitive.
    public var version: SchemaVersion?
    /// A fixed explanation; a `StaticString` so that no runtime value can end up in it.
    public var reason: StaticString?

    public init(_ code: Code, field: String? = nil, version: SchemaVersion? = nil, reason: StaticString? = nil) {
        self.code = code
        self.field = field
        self.version = version
        self.reason = reason
    }

    public var description: String {
        var text = "ModelCoreError.\(code.rawValue)"
        if let field { text += " field=\(field)" }
        if let version { text += " version=\(version)" }
        if let reason { text += ": \(reason)" }
        return text
    }

    public static func == (lhs: ModelCoreError, rhs: ModelCoreError) -> Bool {
        lhs.code == rhs.code && lhs.field == rhs.field && lhs.version == rhs.version
            && lhs.reason?.description == rhs.reason?.description
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(field)
        hasher.combine(version)
    }
}

extension [any CodingKey] {
    /// `a.b[2].c` — coding keys are our own field names (or array indices), never values.
    public var dottedPath: String? {
        guard !isEmpty else { return nil }
        var path = ""
        for key in self {
            if let index = key.intValue {
                path += "[\(index)]"
            } else {
                path += path.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return path
    }
}

extension ModelCoreError {
    /// The same error located at a decoder's position, unless it already names a field.
    public func at(_ codingPath: [any CodingKey]) -> ModelCoreError {
        var copy = self
        if copy.field == nil { copy.field = codingPath.dottedPath }
        return copy
    }
}
