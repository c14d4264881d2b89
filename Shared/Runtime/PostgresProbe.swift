import Logging
import Synchronization
import ServiceLifecycle
import VigilPostgres

/// Keeps `/ready`'s `postgres` check true only while PostgreSQL answers, so a database restart shows as
/// not-ready (load balancers and `vigil doctor` see it) while the stages wait and retry, and as ready again
/// once it is back. Only the outcome changes readiness: a slow answer just delays the next look.
struct PostgresProbe: Service {
    let pool: PostgresPool
    let readiness: Readiness
    let interval: Duration
    let logger: Logger

    func run() async throws {
        let wasUp = Mutex(true)
        await PeriodicPass.run(every: interval, logger: logger, failure: "postgres probe failed") {
            let up = (try? await pool.query("SELECT 1")) != nil
            readiness.set("postgres", up)
            guard wasUp.withLock({ state in defer { state = up }; return state != up }) else { return }
            if up { logger.notice("postgres is back") } else { logger.warning("postgres unreachable; not ready") }
        }
    }
}
