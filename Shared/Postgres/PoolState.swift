/// The pool's bookkeeping without I/O. Methods run under the pool's lock and return what the pool must do
/// once it has unlocked (resume a waiter, drop connections, …).
struct PoolState {
    /// What a caller gets from the pool.
    enum Lease: Sendable {
        /// Use this connection; check it with a round trip first if `validate`.
        case reuse(PostgresConnection, validate: Bool)
        /// A slot is reserved for the caller: open a new connection.
        case open
    }

    enum Acquire {
        case lease(Lease)
        case fail(any Error)
        case wait
    }

    /// Work to do after unlocking.
    struct Action {
        var resume: (CheckedContinuation<Lease, any Error>, Lease)?
        var failClosed: [CheckedContinuation<Lease, any Error>] = []
        /// Dropped by the pool; their `deinit` closes them.
        var discard: [PostgresConnection] = []
        var drained: [CheckedContinuation<Void, Never>] = []
    }

    private struct Idle {
        let connection: PostgresConnection
        let since: ContinuousClock.Instant
        let epoch: UInt64
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Lease, any Error>
    }

    let capacity: Int
    let validationInterval: Duration
    /// Connections that exist or are being opened, leased or idle; never above `capacity`.
    private(set) var open = 0
    private var idle: [Idle] = []
    private var waiters: [Waiter] = []  // FIFO
    private(set) var isClosed = false
    /// Bumped whenever a dead connection is found: idle connections from an older epoch are validated before
    /// reuse, so after a server restart one failure flushes the others instead of each failing a query.
    private var epoch: UInt64 = 0
    private var drainWaiters: [CheckedContinuation<Void, Never>] = []
    private var nextWaiterID: UInt64 = 0
    var threadPoolStopped = false

    init(capacity: Int, validationInterval: Duration) {
        self.capacity = capacity
        self.validationInterval = validationInterval
    }

    var idleCount: Int { idle.count }
    var waitingCount: Int { waiters.count }

    mutating func makeWaiterID() -> UInt64 {
        nextWaiterID += 1
        return nextWaiterID
    }

    mutating func acquire(
        id: UInt64, continuation: CheckedContinuation<Lease, any Error>, isCancelled: Bool,
        now: ContinuousClock.Instant
    ) -> Acquire {
        if isClosed { return .fail(PostgresError.poolClosed) }
        if let entry = idle.popLast() {  // most recently used first: warm, least likely to have timed out
            let stale = entry.epoch != epoch || now - entry.since >= validationInterval
            return .lease(.reuse(entry.connection, validate: stale))
        }
        if open < capacity {
            open += 1
            return .lease(.open)
        }
        if isCancelled { return .fail(CancellationError()) }
        waiters.append(Waiter(id: id, continuation: continuation))
        return .wait
    }

    /// Removes a cancelled waiter; nil if it was already served.
    mutating func cancel(id: UInt64) -> CheckedContinuation<Lease, any Error>? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).continuation
    }

    /// A healthy, idle session comes back: to the longest waiter, else to the idle list.
    mutating func release(_ connection: PostgresConnection, now: ContinuousClock.Instant) -> Action {
        if isClosed { return slotFreed(discarding: connection) }
        if !waiters.isEmpty {
            return Action(resume: (waiters.removeFirst().continuation, .reuse(connection, validate: false)))
        }
        idle.append(Idle(connection: connection, since: now, epoch: epoch))
        return Action()
    }

    /// A connection is gone (dead, unusable, or never opened). Its slot goes to the longest waiter.
    mutating func slotFreed(discarding connection: PostgresConnection?, connectionLost: Bool = false) -> Action {
        if connectionLost { markConnectionLost() }
        open -= 1
        var action = Action(discard: connection.map { [$0] } ?? [])
        if !isClosed, !waiters.isEmpty {
            open += 1
            action.resume = (waiters.removeFirst().continuation, .open)
        }
        if isClosed, open == 0 { action.drained = takeDrainWaiters() }
        return action
    }

    mutating func markConnectionLost() {
        epoch &+= 1
    }

    /// A connection was opened for a reserved slot; if the pool closed meanwhile it must be dropped.
    mutating func opened(_ connection: PostgresConnection) -> Action? {
        isClosed ? slotFreed(discarding: connection) : nil
    }

    mutating func close() -> Action {
        isClosed = true
        var action = Action(failClosed: waiters.map(\.continuation), discard: idle.map(\.connection))
        open -= idle.count
        idle = []
        waiters = []
        if open == 0 { action.drained = takeDrainWaiters() }
        return action
    }

    /// Registers a `close()` caller waiting for leased connections to come back; false if none are out.
    mutating func awaitDrain(_ continuation: CheckedContinuation<Void, Never>) -> Bool {
        guard open > 0 else { return false }
        drainWaiters.append(continuation)
        return true
    }

    private mutating func takeDrainWaiters() -> [CheckedContinuation<Void, Never>] {
        defer { drainWaiters = [] }
        return drainWaiters
    }
}

extension PostgresError {
    static var poolClosed: PostgresError { PostgresError(code: .poolClosed, message: "the pool is closed") }
}
