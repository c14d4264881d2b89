import Logging
import NIOPosix
import Synchronization

/// A bounded pool of PostgreSQL connections.
///
/// At most `poolSize` connections exist; callers beyond that wait in FIFO order (cancellation removes a
/// waiter). A connection found dead — libpq reports it broken after an error, or it fails the empty-query
/// check it gets when it was idle longer than `idleValidationInterval` (or idle since another connection was
/// found dead) — is dropped and replaced, so the pool recovers by itself after a server restart. While the
/// server is down, calls throw `.connectionFailed`.
///
/// The pool runs libpq on its own `NIOThreadPool` with one thread per connection (plus one), not on the shared
/// singleton: a session waiting for a lock held by another session of this pool occupies a thread until that
/// other session commits, which needs a thread too. With a smaller shared pool (the singleton has one thread
/// per core) such waits can deadlock.
///
/// Call `close()` when done: it waits for leased connections to come back, closes all, stops the threads.
public final class PostgresPool: Sendable {
    public let configuration: PostgresConfiguration
    private let logger: Logger
    private let threadPool: NIOThreadPool
    private let state: Mutex<PoolState>

    public init(configuration: PostgresConfiguration, logger: Logger) {
        precondition(configuration.poolSize > 0, "poolSize must be positive")
        self.configuration = configuration
        self.logger = logger
        self.threadPool = NIOThreadPool(numberOfThreads: configuration.poolSize + 1)
        self.threadPool.start()
        self.state = Mutex(
            PoolState(capacity: configuration.poolSize, validationInterval: configuration.idleValidationInterval))
    }

    deinit {
        let stop = state.withLock { state in
            defer { state.threadPoolStopped = true }
            return !state.threadPoolStopped
        }
        if stop { threadPool.shutdownGracefully { _ in } }
    }

    /// Lends a connection to `body` and takes it back on every path. A connection left inside a transaction
    /// is rolled back; a dead one is replaced.
    public func withConnection<Value>(
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        let connection = try await checkout()
        let value: Value
        do {
            value = try await body(connection)
        } catch {
            await checkin(connection)
            throw error
        }
        await checkin(connection)
        return value
    }

    /// Runs `body` in a transaction on a pooled connection: COMMIT if it returns, ROLLBACK if it throws.
    public func withTransaction<Value>(
        _ options: PostgresTransactionOptions = PostgresTransactionOptions(),
        isolation: isolated (any Actor)? = #isolation,
        _ body: (PostgresConnection) async throws -> Value
    ) async throws -> Value {
        try await withConnection(isolation: isolation) { connection in
            try await connection.withTransaction(options, isolation: isolation, body)
        }
    }

    public func query(_ query: PostgresQuery) async throws -> PostgresRows {
        try await withConnection { try await $0.query(query) }
    }

    @discardableResult
    public func execute(_ query: PostgresQuery) async throws -> Int {
        try await withConnection { try await $0.execute(query) }
    }

    public struct Status: Sendable, Hashable {
        /// Connections open or being opened.
        public let open: Int
        public let idle: Int
        public let waiting: Int
    }

    public var status: Status {
        state.withLock { Status(open: $0.open, idle: $0.idleCount, waiting: $0.waitingCount) }
    }

    /// Fails waiters with `.poolClosed`, waits for leased connections to come back, closes every connection
    /// and stops the pool's threads. Later calls throw `.poolClosed`.
    public func close() async {
        perform(state.withLock { $0.close() })
        await withCheckedContinuation { continuation in
            let waiting = state.withLock { $0.awaitDrain(continuation) }
            if !waiting { continuation.resume() }
        }
        let stop = state.withLock { state in
            defer { state.threadPoolStopped = true }
            return !state.threadPoolStopped
        }
        if stop { try? await threadPool.shutdownGracefully() }
    }

    // MARK: - Checkout and checkin

    private func checkout() async throws -> PostgresConnection {
        switch try await acquire() {
        case .open:
            return try await open()
        case .reuse(let connection, validate: false):
            return connection
        case .reuse(let connection, validate: true):
            if await connection.validate() { return connection }
            logger.info("Replacing a dead PostgreSQL connection")
            state.withLock { $0.markConnectionLost() }
            return try await open()  // keeps the slot; `connection` is dropped (and closed) here
        }
    }

    private func acquire() async throws -> PoolState.Lease {
        let id = state.withLock { $0.makeWaiterID() }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let decision = state.withLock {
                    $0.acquire(id: id, continuation: continuation, isCancelled: Task.isCancelled, now: .now)
                }
                switch decision {
                case .lease(let lease): continuation.resume(returning: lease)
                case .fail(let error): continuation.resume(throwing: error)
                case .wait: break
                }
            }
        } onCancel: {
            state.withLock { $0.cancel(id: id) }?.resume(throwing: CancellationError())
        }
    }

    /// Opens a connection for a slot the caller holds; gives the slot back if that fails.
    private func open() async throws -> PostgresConnection {
        let connection: PostgresConnection
        do {
            connection = try await PostgresConnection.connect(
                configuration: configuration, threadPool: threadPool, logger: logger)
        } catch {
            perform(state.withLock { $0.slotFreed(discarding: nil) })
            throw error
        }
        if let action = state.withLock({ $0.opened(connection) }) {
            perform(action)
            throw PostgresError.poolClosed
        }
        return connection
    }

    private func checkin(_ connection: PostgresConnection) async {
        var session = connection.sessionState
        if session == .inTransaction || session == .failedTransaction {
            await connection.rollback()
            session = connection.sessionState
        }
        if session == .broken { logger.info("Dropping a broken PostgreSQL connection") }
        let action = state.withLock { state in
            session == .idle
                ? state.release(connection, now: .now)
                : state.slotFreed(discarding: connection, connectionLost: session == .broken)
        }
        perform(action)
    }

    private func perform(_ action: PoolState.Action) {
        if let (continuation, lease) = action.resume { continuation.resume(returning: lease) }
        for continuation in action.failClosed { continuation.resume(throwing: PostgresError.poolClosed) }
        for continuation in action.drained { continuation.resume() }
    }
}
