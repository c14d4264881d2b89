import CLibPQ
import Foundation

/// The libpq calls for one statement. Called only by `PostgresConnection`, on a thread-pool thread, while it
/// holds the connection's lock; results are copied into Swift values and cleared before returning.
enum LibPQ {
    /// Settings the decoders rely on, applied once per session.
    static let sessionSetup = "SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, YMD'; SET bytea_output TO 'hex'"

    static func connect(_ parameters: [(String, String)]) throws -> OpaquePointer {
        let keywords = parameters.map { strdup($0.0) } + [nil]
        let values = parameters.map { strdup($0.1) } + [nil]
        defer {
            for pointer in keywords + values { free(pointer) }
        }
        let constKeywords = keywords.map { $0.map { UnsafePointer($0) } }
        let constValues = values.map { $0.map { UnsafePointer($0) } }
        let connection = constKeywords.withUnsafeBufferPointer { keywordBuffer in
            constValues.withUnsafeBufferPointer { valueBuffer in
                PQconnectdbParams(keywordBuffer.baseAddress, valueBuffer.baseAddress, 1)
            }
        }
        guard let connection else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = connectionMessage(connection)
            PQfinish(connection)
            throw PostgresError(code: .connectionFailed, message: message)
        }
        // Notices (e.g. "already exists, skipping", or RAISE NOTICE with values) would go to stderr: drop them.
        PQsetNoticeReceiver(connection, { _, _ in }, nil)
        do {
            _ = try exec(connection, sessionSetup)
        } catch {
            PQfinish(connection)
            throw error
        }
        return connection
    }

    static func execute(_ connection: OpaquePointer, _ query: PostgresQuery) throws -> PostgresRows {
        let types = query.bindings.types.map { Oid($0.rawValue) }
        let values = query.bindings.values.map { value in value.map { strdup($0) } ?? nil }
        defer {
            for pointer in values { free(pointer) }
        }
        let constValues = values.map { $0.map { UnsafePointer($0) } }
        let result = types.withUnsafeBufferPointer { typeBuffer in
            constValues.withUnsafeBufferPointer { valueBuffer in
                // Text-format parameters (lengths and formats nil) and a text-format result.
                PQexecParams(
                    connection, query.sql, Int32(values.count), typeBuffer.baseAddress, valueBuffer.baseAddress,
                    nil, nil, 0)
            }
        }
        return try rows(from: result, connection)
    }

    /// Simple-query protocol: several statements in one string, no parameters.
    static func exec(_ connection: OpaquePointer, _ sql: String) throws -> PostgresRows {
        try rows(from: PQexec(connection, sql), connection)
    }

    private static func rows(from result: OpaquePointer?, _ connection: OpaquePointer) throws -> PostgresRows {
        guard let result else {
            let code: PostgresError.Code = PQstatus(connection) == CONNECTION_OK ? .queryFailed : .connectionFailed
            throw PostgresError(code: code, message: connectionMessage(connection))
        }
        defer { PQclear(result) }
        let status = PQresultStatus(result)
        switch status {
        case PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return PostgresRows(columns: [], values: [], affectedRows: affectedRows(result))
        case PGRES_TUPLES_OK:
            return tuples(result)
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            throw error(from: result, connection)
        default:
            // COPY and friends would leave the session mid-protocol; the pool discards it on release.
            throw PostgresError(code: .unsupported, message: "unsupported result status \(status.rawValue)")
        }
    }

    private static func tuples(_ result: OpaquePointer) -> PostgresRows {
        let rowCount = PQntuples(result)
        let columnCount = PQnfields(result)
        let columns = (0..<columnCount).map { column in
            PostgresColumn(
                name: String(cString: PQfname(result, column)), dataType: PostgresDataType(PQftype(result, column)))
        }
        var values: [String?] = []
        values.reserveCapacity(Int(rowCount) * Int(columnCount))
        for row in 0..<rowCount {
            for column in 0..<columnCount {
                if PQgetisnull(result, row, column) == 1 {
                    values.append(nil)
                } else {
                    let bytes = UnsafeRawBufferPointer(
                        start: PQgetvalue(result, row, column), count: Int(PQgetlength(result, row, column)))
                    values.append(String(decoding: bytes, as: UTF8.self))
                }
            }
        }
        return PostgresRows(columns: columns, values: values, affectedRows: affectedRows(result))
    }

    private static func affectedRows(_ result: OpaquePointer) -> Int {
        guard let text = PQcmdTuples(result) else { return 0 }
        return Int(String(cString: text)) ?? 0
    }

    /// Primary message and SQLSTATE only: DETAIL, HINT and CONTEXT can repeat row values.
    // postgres_ext.h defines these as character literals, which Swift does not import.
    private static let sqlStateField = Int32(UInt8(ascii: "C"))  // PG_DIAG_SQLSTATE
    private static let primaryMessageField = Int32(UInt8(ascii: "M"))  // PG_DIAG_MESSAGE_PRIMARY

    private static func error(from result: OpaquePointer, _ connection: OpaquePointer) -> PostgresError {
        let sqlState = field(result, sqlStateField)
        let primary =
            field(result, primaryMessageField)
            ?? firstLine(PQresultErrorMessage(result).map { String(cString: $0) }) ?? "unknown error"
        let lost = PQstatus(connection) != CONNECTION_OK
        var error = PostgresError(
            code: lost ? .connectionFailed : .queryFailed,
            message: PostgresError.redacted(primary, sqlState: sqlState), sqlState: sqlState)
        if error.isConnectionLoss { error.code = .connectionFailed }
        return error
    }

    private static func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        PQresultErrorField(result, code).map { String(cString: $0) }
    }

    /// libpq's own message (connection failures): the first line, without the hints that follow.
    static func connectionMessage(_ connection: OpaquePointer) -> String {
        firstLine(PQerrorMessage(connection).map { String(cString: $0) }) ?? "connection failed"
    }

    private static func firstLine(_ text: String?) -> String? {
        guard let line = text?.split(separator: "\n").first else { return nil }
        var trimmed = line.trimmingCharacters(in: .whitespaces)
        for prefix in ["ERROR:", "FATAL:"] where trimmed.hasPrefix(prefix) {
            trimmed = trimmed.dropFirst(prefix.count).trimmingCharacters(in: .whitespaces)
        }
        return trimmed.isEmpty ? nil : trimmed
    }
}
