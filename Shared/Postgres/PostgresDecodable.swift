import Foundation

/// A Swift type that can be read from a result column in PostgreSQL's text format.
public protocol PostgresDecodable: Sendable {
    /// Decodes a non-NULL value of a column of type `type`. Errors must not include `text`.
    init(postgresText text: String, type: PostgresDataType) throws(PostgresDecodingFailure)
    /// The value for SQL NULL. Non-optional types throw `.unexpectedNull` (the default).
    static func postgresNull() throws(PostgresDecodingFailure) -> Self
}

extension PostgresDecodable {
    public static func postgresNull() throws(PostgresDecodingFailure) -> Self {
        throw PostgresDecodingFailure(kind: .unexpectedNull, message: "unexpected NULL for \(Self.self)")
    }
}

/// Why a value could not be decoded; wrapped by `PostgresRow` into a `PostgresError` naming the column.
public struct PostgresDecodingFailure: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable { case unexpectedNull, typeMismatch, invalidText }
    public var kind: Kind
    /// Names types only, never the value.
    public var message: String
    public var description: String { message }

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    public static func typeMismatch(_ swiftType: Any.Type, _ type: PostgresDataType) -> Self {
        Self(kind: .typeMismatch, message: "cannot decode \(swiftType) from a \(type) column")
    }

    public static func invalidText(_ swiftType: Any.Type, _ type: PostgresDataType) -> Self {
        Self(kind: .invalidText, message: "\(type) text is not a valid \(swiftType)")
    }
}

extension String: PostgresDecodable {
    /// Any column: every type has a text form.
    public init(postgresText text: String, type: PostgresDataType) { self = text }
}

private let integerTypes: Set<PostgresDataType> = [.int2, .int4, .int8, .oid, .numeric]

extension FixedWidthInteger where Self: PostgresDecodable {
    fileprivate static func decodeInteger(_ text: String, _ type: PostgresDataType) throws(PostgresDecodingFailure)
        -> Self
    {
        guard integerTypes.contains(type) else { throw .typeMismatch(Self.self, type) }
        // numeric (e.g. sum(bigint)) is accepted only when it holds a whole number that fits.
        guard let value = Self(text, radix: 10) else { throw .invalidText(Self.self, type) }
        return value
    }
}

extension Int: PostgresDecodable {
    public init(postgresText text: String, type: PostgresDataType) throws(PostgresDecodingFailure) {
        self = try Self.decodeInteger(text, type)
    }
}

extension Int64: PostgresDecodable {
    public init(postgresText text: String, type: PostgresDataType) throws(PostgresDecodingFailure) {
        self = try Self.decodeInteger(text, type)
    }
}

extension Int32: PostgresDecodable {
    public init(postgresText text: String, type: PostgresDataType) throws(PostgresDecodingFailure) {
        self = try Self.decodeInteger(text, type)
    }
}

extension Double: PostgresDecodable {
    public init(postgresText text: String, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard [.float4, .float8, .numeric, .int2, .int4, .int8].contains(type) else {
            throw .typeMismatch(Self.self, type)
        }
        guard let value = Double(text) else { throw .invalidText(Self.self, type) }
        self = value
    }
}

extension Bool: PostgresDecodable {
    public init(postgresText text: String, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard type == .bool else { throw .typeMismatch(Self.self, type) }
        switch text {
        case "t": self = true
        case "f": self = false
        default: throw .invalidText(Self.self, type)
        }
    }
}

extension Date: PostgresDecodable {
    public init(postgresText text: String, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard [.timestamptz, .timestamp, .date].contains(type) else { throw .typeMismatch(Self.self, type) }
        guard let date = PostgresTimestamp.parse(text) else { throw .invalidText(Self.self, type) }
        self = date
    }
}

extension UUID: PostgresDecodable {
    public init(postgresText text: String, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard [.uuid, .text, .varchar, .bpchar].contains(type) else { throw .typeMismatch(Self.self, type) }
        guard let uuid = UUID(uuidString: text) else { throw .invalidText(Self.self, type) }
        self = uuid
    }
}

extension Array: PostgresDecodable where Element == UInt8 {
    /// bytea in hex format (the server default, and what connections ask for).
    public init(postgresText text: String, type: PostgresDataType) throws(PostgresDecodingFailure) {
        guard type == .bytea else { throw .typeMismatch(Self.self, type) }
        let utf8 = text.utf8
        guard utf8.starts(with: [UInt8(ascii: "\\"), UInt8(ascii: "x")]),
            let bytes = Hex.decode(utf8.dropFirst(2))
        else { throw .invalidText(Self.self, type) }
        self = bytes
    }
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public init(postgresText text: String, type: PostgresDataType) throws(PostgresDecodingFailure) {
        self = .some(try Wrapped(postgresText: text, type: type))
    }

    public static func postgresNull() -> Self { nil }
}
