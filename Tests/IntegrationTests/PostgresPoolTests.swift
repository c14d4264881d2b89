import Foundation
import Synchronization
import Testing
import VigilPostgres

@Suite("PostgreSQL pool and transactions", .enabled(if: TestDatabase.isConfigured), .timeLimit(.minutes(2)))
struct PostgresPoolTests {
    struct Boom: Error {}

    @Test("withTransaction commits when the body returns")
    func commit() async throws {
        try await TestDatabase.withFresh { database in
            try await database.pool.execute("CREATE TABLE t (x int)")
            let value = try await database.pool.withTransaction { connection in
                try await connection.execute("INSERT INTO t VALUES (1), (2)")
            }
            #expect(value == 2)
            #expect(try await database.pool.query("SELECT x FROM t").count == 2)
        }
    }

    @Test("withTransaction rolls back and rethrows when the body throws")
    func rollbackOnThrow() async throws {
        try await TestDatabase.withFresh { database in
            try await database.pool.execute("CREATE TABLE t (x int)")
            await #expect(throws: Boom.self) {
                try await database.pool.withTransaction { connection in
                    try await connection.execute("INSERT INTO t VALUES (1)")
                    throw Boom()
                }
            }
            #expect(try await database.pool.query("SELECT x FROM t").isEmpty)
        }
    }

    @Test("a failed statement swallowed by the body still rolls the transaction back")
    func abortedTransaction() async throws {
        try await TestDatabase.withFresh { database in
            try await database.pool.execute("CREATE TABLE t (x int PRIMARY KEY)")
            let error = await #expect(throws: PostgresError.self) {
                try await database.pool.withTransaction { connection in
                    try await connection.execute("INSERT INTO t VALUES (1)")
                    _ = try? await connection.execute("INSERT INTO t VALUES (1)")
                }
            }
            #expect(error?.code == .transactionAborted)
            #expect(try await database.pool.query("SELECT x FROM t").isEmpty)
        }
    }

    @Test("a connection returned inside an open transaction is rolled back before reuse")
    func leftOpenTransaction() async throws {
        try await TestDatabase.withFresh(poolSize: 1) { database in
            try await database.pool.execute("CREATE TABLE t (x int)")
            try await database.pool.withConnection { connection in
                try await connection.simpleExecute("BEGIN; INSERT INTO t VALUES (1)")
            }
            let rows = try await database.pool.query("SELECT x FROM t")  // the same session would still see its row
            #expect(rows.isEmpty)
            #expect(database.pool.status.open == 1)
        }
    }

    @Test("50 concurrent borrowers share at most poolSize connections")
    func bounded() async throws {
        try await TestDatabase.withFresh(poolSize: 3) { database in
            let inUse = Shared((now: 0, peak: 0))
            let backends = Shared(Set<Int32>())
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        try await database.pool.withConnection { connection in
                            inUse.withLock { state in
                                state.now += 1
                                state.peak = max(state.peak, state.now)
                            }
                            let rows = try await connection.query("SELECT pg_backend_pid(), pg_sleep(0.01)::text")
                            let pid = try #require(rows.first).decode(Int32.self)
                            backends.withLock { _ = $0.insert(pid) }
                            inUse.withLock { $0.now -= 1 }
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(inUse.withLock { $0.peak } <= 3)
            #expect(inUse.withLock { $0.peak } >= 2, "borrowers did run concurrently")
            #expect(backends.withLock { $0.count } <= 3)
            let status = database.pool.status
            #expect(status.open <= 3 && status.waiting == 0 && status.idle == status.open)
        }
    }

    @Test("a cancelled waiter leaves the queue and the pool keeps working")
    func cancelledWaiter() async throws {
        try await TestDatabase.withFresh(poolSize: 1) { database in
            try await database.pool.withConnection { _ in
                let waiter = Task { try await database.pool.query("SELECT 1") }
                while database.pool.status.waiting == 0 { try await Task.sleep(for: .milliseconds(5)) }
                waiter.cancel()
                await #expect(throws: CancellationError.self) { try await waiter.value }
                #expect(database.pool.status.waiting == 0)
            }
            #expect(try await database.pool.query("SELECT 1").count == 1)
            #expect(database.pool.status.open == 1)
        }
    }

    @Test("waiters are served in arrival order")
    func fifo() async throws {
        try await TestDatabase.withFresh(poolSize: 1) { database in
            let order = Shared([Int]())
            try await withThrowingTaskGroup(of: Void.self) { group in
                try await database.pool.withConnection { _ in
                    for index in 0..<5 {
                        group.addTask {
                            try await database.pool.withConnection { _ in order.withLock { $0.append(index) } }
                        }
                        while database.pool.status.waiting <= index { try await Task.sleep(for: .milliseconds(2)) }
                    }
                }
                try await group.waitForAll()
            }
            #expect(order.withLock { $0 } == [0, 1, 2, 3, 4])
        }
    }

    @Test("a closed pool refuses work; an unreachable server is connectionFailed")
    func closedAndUnreachable() async throws {
        try await TestDatabase.withFresh { database in
            let pool = PostgresPool(configuration: database.configuration(poolSize: 2), logger: TestDatabase.logger)
            let rows = try await pool.query("SELECT 1")
            #expect(rows.count == 1)
            await pool.close()
            let closed = await #expect(throws: PostgresError.self) { try await pool.query("SELECT 1") }
            #expect(closed?.code == .poolClosed)
        }
        // Port 1 on loopback: nothing listens there, the connect is refused at once.
        let unreachable = PostgresPool(
            configuration: PostgresConfiguration(connectionString: "postgresql://vigil@127.0.0.1:1/vigil"),
            logger: TestDatabase.logger)
        let error = await #expect(throws: PostgresError.self) { try await unreachable.query("SELECT 1") }
        #expect(error?.code == .connectionFailed)
        #expect(unreachable.status.open == 0)
        await unreachable.close()
    }
}

/// A value shared between test tasks.
final class Shared<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func withLock<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}
