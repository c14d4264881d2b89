/// A result column: its name and type.
public struct PostgresColumn: Sendable, Hashable {
    public let name: String
    public let dataType: PostgresDataType
}

/// The rows of a result, copied out of libpq (text format; decoded on access).
public struct PostgresRows: Sendable, RandomAccessCollection {
    public let columns: [PostgresColumn]
    /// Rows affected by INSERT/UPDATE/DELETE/…, or returned by SELECT; 0 when the command reports none.
    public let affectedRows: Int
    let table: ColumnTable
    let values: [String?]  // row-major, `columns.count` per row

    init(columns: [PostgresColumn], values: [String?], affectedRows: Int) {
        self.columns = columns
        self.values = values
        self.affectedRows = affectedRows
        self.table = ColumnTable(columns)
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { columns.isEmpty ? 0 : values.count / columns.count }

    public subscript(position: Int) -> PostgresRow {
        precondition(indices.contains(position), "row index out of range")
        let width = columns.count
        return PostgresRow(table: table, values: values[position * width..<(position + 1) * width])
    }
}

/// Column names and types shared by all rows of a result.
final class ColumnTable: Sendable {
    let columns: [PostgresColumn]
    let indexByName: [String: Int]

    init(_ columns: [PostgresColumn]) {
        self.columns = columns
        // The first column of a name wins, as in SQL's own name resolution.
        var index: [String: Int] = [:]
        for (position, column) in columns.enumerated() where index[column.name] == nil {
            index[column.name] = position
        }
        self.indexByName = index
    }
}

/// One result row. Decoding failures name the column, never the value.
public struct PostgresRow: Sendable {
    let table: ColumnTable
    let values: ArraySlice<String?>

    public var columns: [PostgresColumn] { table.columns }
    public var count: Int { values.count }

    /// The cell at a zero-based column index.
    public subscript(index: Int) -> PostgresCell {
        precondition(index >= 0 && index < values.count, "column index out of range")
        return PostgresCell(column: table.columns[index], index: index, text: values[values.startIndex + index])
    }

    /// The cell of the first column called `name`, or nil if there is none.
    public subscript(column name: String) -> PostgresCell? {
        table.indexByName[name].map { self[$0] }
    }

    /// Decodes the leading columns in order: `let (id, name, at) = try row.decode((Int64, String, Date).self)`.
    public func decode<each Value: PostgresDecodable>(_: (repeat each Value).Type) throws -> (repeat each Value) {
        var expected = 0
        for _ in repeat (each Value).self { expected += 1 }
        guard expected <= values.count else {
            throw PostgresError(
                code: .decoding, message: "row has \(values.count) columns, \(expected) requested")
        }
        var index = 0
        func next<Next: PostgresDecodable>(_: Next.Type) throws -> Next {
            defer { index += 1 }
            return try self[index].decode(Next.self)
        }
        return (repeat try next((each Value).self))
    }

    /// Decodes the first column.
    public func decode<Value: PostgresDecodable>(_: Value.Type) throws -> Value {
        try decode(Value.self, at: 0)
    }

    /// Decodes the column called `name`.
    public func decode<Value: PostgresDecodable>(_: Value.Type, column name: String) throws -> Value {
        guard let cell = self[column: name] else {
            throw PostgresError(code: .decoding, message: "no column named \(name)", column: name)
        }
        return try cell.decode(Value.self)
    }

    /// Decodes the column at a zero-based index.
    public func decode<Value: PostgresDecodable>(_: Value.Type, at index: Int) throws -> Value {
        guard index >= 0 && index < values.count else {
            throw PostgresError(code: .decoding, message: "no column at index \(index)")
        }
        return try self[index].decode(Value.self)
    }
}

/// One value of a row, in text format (nil for SQL NULL).
public struct PostgresCell: Sendable {
    public let column: PostgresColumn
    public let index: Int
    public let text: String?

    public var isNull: Bool { text == nil }

    public func decode<Value: PostgresDecodable>(_: Value.Type = Value.self) throws -> Value {
        do throws(PostgresDecodingFailure) {
            guard let text else { return try Value.postgresNull() }
            return try Value(postgresText: text, type: column.dataType)
        } catch {
            throw PostgresError(
                code: .decoding, message: "column \(column.name) (index \(index)): \(error.message)",
                column: column.name)
        }
    }
}
