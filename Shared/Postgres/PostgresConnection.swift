import CLibPQ
import Logging
import NIOPosix
import Synchronization

/// One PostgreSQL session over libpq. Owns the `PGconn` and frees it in `deinit` (or `close()`).
///
/// Blocking libpq calls run on a `NIOThreadPool`, never on the cooperative pool. The `PGconn` is not
/// thread-safe, so every call on it holds `handle`'s lock; statements issued concurrently on one connection
/// therefore run one after another. A running statement is not interrupted by task cancellation (use
/// `statement_timeout`); a statement whose task is cancelled before it starts is not sent.
public final class PostgresConnection: Sendable {
    /// The `PGconn`; nil once closed.
    private let handle: Mutex<OpaquePointer?>
    private let threadPool: NIOThreadPool
    let logger: Logger

    private init(handle: sending OpaquePointer, threadPool: NIOThreadPool, logger: Logger) {
        self.handle = Mutex(handle)
        self.threadPool = threadPool
        self.logger = logger
    }

    deinit {
        handle.withLock { pointer in
            if let connection = pointer { PQfinish(connection) }
            pointer = nil
        }
    }

    /// Opens a session. Throws `.connectionFailed` if the server cannot be reached or refuses.
    public static func connect(
        configuration: PostgresConfiguration, threadPool: NIOThreadPool = .singleton, logger: Logger
    ) async throws -> PostgresConnection {
        let parameters = configuration.libpqParameters
        return try await threadPool.runBlocking(cancellable: true) {
            PostgresConnection(handle: try LibPQ.connect(parameters), threadPool: threadPool, logger: logger)
        }
    }

    /// Runs a statement and returns its rows.
    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        for (index, value) in query.bindings.values.enumerated() where value?.utf8.contains(0) == true {
            throw PostgresError(
                code: .invalidParameter, message: "parameter $\(index + 1) contains a NUL character")
        }
        return try await withHandle(cancellable: true) { try LibPQ.execute($0, query) }
    }

    /// Runs a statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await self.query(query).affectedRows
    }

    /// Runs one or more `;`-separated statements without parameters (simple-query protocol). Meant for
    /// migrations and fixed commands only: nothing here is parameterized.
    public func simpleExecute(_ sql: String) async throws {
        try await simpleExecute(sql, cancellable: true)
    }

    func simpleExecute(_ sql: String, cancellable: Bool) async throws {
        _ = try await withHandle(cancellable: cancellable) { try LibPQ.exec($0, sql) }
    }

    /// Closes the session now instead of at `deinit`. Later calls throw `.connectionClosed`.
    public func close() async {
        _ = try? await threadPool.runBlocking(cancellable: false) { self.finish() }
        finish()  // if the thread pool is already shut down
    }

    public var isClosed: Bool { handle.withLock { $0 == nil } }

    private func finish() {
        handle.withLock { pointer in
            if let connection = pointer { PQfinish(connection) }
            pointer = nil
        }
    }

    // MARK: - State for the pool and transactions (no I/O)

    enum SessionState: Sendable { case idle, inTransaction, failedTransaction, broken }

    /// Where the session stands, from libpq's local state. Takes the lock, so call it only while no
    /// statement is running on this connection.
    var sessionState: SessionState {
        handle.withLock { pointer -> SessionState in
            guard let connection = pointer, PQstatus(connection) == CONNECTION_OK else { return .broken }
            switch PQtransactionStatus(connection) {
            case PQTRANS_IDLE: return .idle
            case PQTRANS_INTRANS: return .inTransaction
            case PQTRANS_INERROR: return .failedTransaction
            default: return .broken
            }
        }
    }

    /// A round trip with an empty statement: false if the session is dead.
    func validate() async -> Bool {
        do {
            try await simpleExecute("", cancellable: false)
            return sessionState == .idle
        } catch {
            return false
        }
    }

    private func withHandle<Value: Sendable>(
        cancellable: Bool, _ body: @escaping @Sendable (OpaquePointer) throws -> Value
    ) async throws -> Value {
        try await threadPool.runBlocking(cancellable: cancellable) {
            try self.handle.withLock { pointer in
                guard let connection = pointer else {
                    throw PostgresError(code: .connectionClosed, message: "the connection is closed")
                }
                return try body(connection)
            }
        }
    }
}

extension NIOThreadPool {
    /// Runs `body` on a pool thread. Cancellable work is skipped if the task is cancelled before it starts;
    /// non-cancellable work (rollback, commit, unlock) always runs.
    func runBlocking<Value: Sendable>(
        cancellable: Bool, _ body: @escaping @Sendable () throws -> Value
    ) async throws -> Value {
        if cancellable {
            do {
                return try await runIfActive(body)
            } catch is NIOThreadPoolError.ThreadPoolInactive {
                throw PostgresError(code: .poolClosed, message: "the thread pool is shut down")
            }
        }
        return try await withCheckedThrowingContinuation { continuation in
            submit { state in
                guard case .active = state else {
                    continuation.resume(
                        throwing: PostgresError(code: .poolClosed, message: "the thread pool is shut down"))
                    return
                }
                continuation.resume(with: Result(catching: body))
            }
        }
    }
}
