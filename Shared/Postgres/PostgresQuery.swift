/// A SQL statement and its bound parameters.
///
/// Interpolating a value appends a placeholder (`$1`, `$2`, …) and binds the value, so SQL is parameterized
/// by construction:
///
///     let query: PostgresQuery = "SELECT name FROM t WHERE id = \(id) AND at > \(since)"
///
/// Raw SQL can only be added through the explicitly named `\(unescaped:)` (identifiers only, never values)
/// or `\(identifier:)`, which quotes its argument as an identifier.
public struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The statement text with `$n` placeholders.
    public private(set) var sql: String
    /// The bound values, in placeholder order.
    public private(set) var bindings: PostgresBindings

    /// A statement from text that was not built by interpolation: the caller vouches that it holds no values.
    public init(unsafeSQL sql: String, bindings: PostgresBindings = PostgresBindings()) {
        self.sql = sql
        self.bindings = bindings
    }

    public init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    public init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, bindings: stringInterpolation.bindings)
    }

    /// The SQL text only: safe to log, as values are never part of it.
    public var description: String { sql }

    public struct StringInterpolation: StringInterpolationProtocol {
        var sql: String
        var bindings: PostgresBindings

        public init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            bindings = PostgresBindings()
        }

        public mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Binds `value` as the next parameter.
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            bindings.append(value)
            sql += "$\(bindings.count)"
        }

        /// Binds `value`, or SQL NULL for nil. (A separate overload keeps the compiler's optional-interpolation
        /// warning away.)
        public mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            bindings.append(value)
            sql += "$\(bindings.count)"
        }

        /// Appends raw SQL. **Identifiers only, never values**: the text is not escaped or bound, so anything
        /// that came from outside the program is an injection.
        public mutating func appendInterpolation(unescaped fragment: String) {
            sql += fragment
        }

        /// Appends `name` as a double-quoted identifier (embedded quotes doubled), e.g. a generated schema name.
        public mutating func appendInterpolation(identifier name: String) {
            sql += "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        }
    }
}

/// Parameter values in PostgreSQL's text format, each with the type it is written in.
public struct PostgresBindings: Sendable {
    var types: [PostgresDataType] = []
    var values: [String?] = []

    public init() {}

    public var count: Int { values.count }

    public mutating func append<Value: PostgresEncodable>(_ value: Value) {
        types.append(Value.postgresDataType)
        values.append(value.postgresText)
    }
}
