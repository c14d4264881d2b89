/// How `withTransaction` begins its transaction.
public struct PostgresTransactionOptions: Sendable, Hashable {
    public enum IsolationLevel: String, Sendable, Hashable {
        case readCommitted = "READ COMMITTED"
        case repeatableRead = "REPEATABLE READ"
        case serializable = "SERIALIZABLE"
    }

    public var isolationLevel: IsolationLevel
    public var readOnly: Bool

    /// Defaults: READ COMMITTED, read-write (PostgreSQL's own defaults).
    public init(isolationLevel: IsolationLevel = .readCommitted, readOnly: Bool = false) {
        self.isolationLevel = isolationLevel
        self.readOnly = readOnly
    }

    var beginStatement: String {
        "BEGIN ISOLATION LEVEL \(isolationLevel.rawValue)" + (readOnly ? " READ ONLY" : "")
    }
}

extension PostgresConnection {
    /// Runs `body` in a transaction: COMMIT if it returns, ROLLBACK if it throws.
    ///
    /// If a statement failed inside `body` and `body` still returned (having caught the error), the
    /// transaction is rolled back and `.transactionAborted` is thrown, rather than COMMIT silently rolling back.
    /// `body` must not COMMIT or ROLLBACK itself.
    public func withTransaction<Value>(
        _ options: PostgresTransactionOptions = PostgresTransactionOptions(),
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await simpleExecute(options.beginStatement)
        let value: Value
        do {
            value = try await body(self)
        } catch {
            await rollback()
            throw error
        }
        switch sessionState {
        case .inTransaction:
            // Not cancellable: the work is done; a cancelled caller still gets a consistent outcome.
            try await simpleExecute("COMMIT", cancellable: false)
            return value
        case .failedTransaction:
            await rollback()
            throw PostgresError(
                code: .transactionAborted, message: "a statement in the transaction failed; it was rolled back")
        case .idle:
            throw PostgresError(
                code: .transactionAborted, message: "the transaction was ended inside withTransaction")
        case .broken:
            throw PostgresError(code: .connectionFailed, message: "the connection was lost before COMMIT")
        }
    }

    /// Best effort: if the session is gone, the server has rolled back already.
    func rollback() async {
        try? await simpleExecute("ROLLBACK", cancellable: false)
    }
}
