import Logging
import ServiceLifecycle
import VigilPostgres
import VigilRuntime

/// Keeps the `infer` schema bounded. Patient state goes when a patient has been quiet for `stateRetention`
/// (and, for long stays, observations more than 14 days older than the patient's newest: nothing reads them);
/// risk records and narratives are kept for `recordRetention`, which may not be under six months (AI Act
/// Art 19(1) and 26(6): logs of a high-risk system are kept at least that long).
public struct InferenceJanitor: Service {
    public static let minimumRecordRetention = Duration.seconds(183 * 86_400)

    let pool: PostgresPool
    let stateRetention: Duration
    let recordRetention: Duration
    let logger: Logger

    public init(pool: PostgresPool, stateRetention: Duration, recordRetention: Duration, logger: Logger) {
        self.pool = pool
        self.stateRetention = stateRetention
        precondition(recordRetention >= Self.minimumRecordRetention, "records must be kept six months at least")
        self.recordRetention = recordRetention
        self.logger = logger
    }

    public func run() async throws {
        await PeriodicPass.run(every: .seconds(600), logger: logger, failure: "inference purge failed") {
            let removed = try await purge()
            if removed > 0 { logger.info("inference state purged", metadata: ["rows": "\(removed)"]) }
        }
    }

    /// One pass; the number of rows removed.
    public func purge() async throws -> Int {
        let state = Double(stateRetention.components.seconds)
        let records = Double(recordRetention.components.seconds)
        var removed = try await pool.execute(
            """
            DELETE FROM infer.observations o USING (
              SELECT pseudonym FROM infer.observations GROUP BY pseudonym
              HAVING max(received_at) < now() - make_interval(secs => \(state))) quiet
            WHERE o.pseudonym = quiet.pseudonym
            """)
        removed += try await pool.execute(
            """
            DELETE FROM infer.observations o USING (
              SELECT pseudonym, max(effective_time) AS newest FROM infer.observations GROUP BY pseudonym) n
            WHERE o.pseudonym = n.pseudonym AND o.effective_time < n.newest - interval '14 days'
            """)
        removed += try await pool.execute(
            """
            DELETE FROM infer.patients p WHERE p.updated_at < now() - make_interval(secs => \(state))
              AND NOT EXISTS (SELECT 1 FROM infer.observations o WHERE o.pseudonym = p.pseudonym)
            """)
        removed += try await pool.execute(
            "DELETE FROM infer.narratives WHERE created_at < now() - make_interval(secs => \(records))")
        removed += try await pool.execute(
            "DELETE FROM infer.risk_records WHERE created_at < now() - make_interval(secs => \(records))")
        return removed
    }
}
