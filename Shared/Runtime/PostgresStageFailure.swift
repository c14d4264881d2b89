import VigilKafka
import VigilPostgres

/// Lets the stage runner tell a database outage (retry) from a record the database refuses (handle it on its
/// own, then dead-letter it): see `PostgresError.isPermanent`. The conformance lives here because neither
/// VigilKafka nor VigilPostgres depends on the other and every service links this module; a process without
/// it treats PostgreSQL errors as transient, the safe default.
extension PostgresError: StageFailureClassifying {
    public var stageFailure: StageFailure {
        isPermanent ? .permanent(kind: kind) : .transient
    }
}
