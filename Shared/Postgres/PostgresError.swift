/// An error from the PostgreSQL layer.
///
/// `description` is safe to log: it holds the server's primary message and SQLSTATE only. The DETAIL field
/// (which repeats row values, e.g. "Key (mrn)=(…) already exists") and parameter values are never kept,
/// and in data-exception messages (SQLSTATE class 22), which echo the offending input, quoted text is blanked.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        /// Could not connect, or the connection was lost (server down, restarted, network).
        case connectionFailed
        /// The server rejected a statement; see `sqlState`.
        case queryFailed
        /// A result value could not be decoded into the requested Swift type.
        case decoding
        /// The pool was closed.
        case poolClosed
        /// The connection was closed by this process.
        case connectionClosed
        /// A bound value cannot be sent (e.g. a NUL character in text).
        case invalidParameter
        /// A statement inside `withTransaction` failed and the body went on; the transaction was rolled back.
        case transactionAborted
        /// The server answered in a way this client does not handle (e.g. COPY).
        case unsupported
    }

    public var code: Code
    /// The five-character SQLSTATE reported by the server, if any (e.g. "23505").
    public var sqlState: String?
    /// A message without row data or parameter values.
    public var message: String
    /// For `.decoding`: the column that failed.
    public var column: String?

    public init(code: Code, message: String, sqlState: String? = nil, column: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.column = column
    }

    public var description: String {
        var text = "PostgreSQL \(code.rawValue): \(message)"
        if let sqlState { text += " (SQLSTATE \(sqlState))" }
        return text
    }

    /// Server-side failures that mean the session is gone, whatever libpq's status says.
    var isConnectionLoss: Bool {
        guard let sqlState else { return code == .connectionFailed }
        return sqlState.hasPrefix("08") || ["57P01", "57P02", "57P03"].contains(sqlState)
    }

    /// Blanks quoted text in messages of SQLSTATE class 22 ("invalid input syntax for type integer: "…"").
    static func redacted(_ message: String, sqlState: String?) -> String {
        guard let sqlState, sqlState.hasPrefix("22") else { return message }
        var output = ""
        var inQuotes = false
        for character in message {
            if character == "\"" {
                output.append(inQuotes ? "…\"" : "\"")
                inQuotes.toggle()
            } else if !inQuotes {
                output.append(character)
            }
        }
        return output
    }
}
