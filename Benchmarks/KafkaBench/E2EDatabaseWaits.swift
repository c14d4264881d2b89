import Foundation
import VigilPostgres

/// What each service's PostgreSQL connections were doing, sampled from `pg_stat_activity` while recording:
/// a connection `active` on a wait event waits inside PostgreSQL (e.g. `IO:WALSync`, a commit's fsync), one
/// `idle in transaction` waits for its service, `idle` is unused. Shows whether a stage waits on the database.
final class E2EDatabaseWaits: @unchecked Sendable {
    // Guarded by `lock`: tallies by role, then by state (and wait event).
    private let lock = NSLock()
    private var tallies: [String: [String: Int]] = [:]
    private var recording = false
    private let pool: PostgresPool

    init(pool: PostgresPool) { self.pool = pool }

    func record(_ on: Bool) { lock.withLock { recording = on } }

    func sample() async {
        guard lock.withLock({ recording }) else { return }
        guard
            let rows = try? await pool.query(
                """
                SELECT usename::text, coalesce(state, '')::text || coalesce(' ' || wait_event_type || ':' || wait_event, '')
                FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                """)
        else { return }
        let seen = rows.compactMap { try? $0.decode((String, String).self) }
        lock.withLock {
            for (role, state) in seen { tallies[role, default: [:]][state, default: 0] += 1 }
        }
    }

    /// The backends connected to this run's database (the services' pools and the bench's).
    func backendPIDs() async -> [Int32] {
        guard let rows = try? await pool.query("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
        else { return [] }
        return rows.compactMap { try? $0.decode(Int32.self, at: 0) }
    }

    /// Per role, its states by share of the samples, most frequent first (idle connections left out).
    func summary() -> [String: [String: Double]] {
        lock.withLock {
            tallies.mapValues { states in
                let total = Double(states.values.reduce(0, +))
                return states.filter { !$0.key.hasPrefix("idle Client") }.mapValues { Double($0) / max(total, 1) }
            }
        }
    }
}
