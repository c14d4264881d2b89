extension PostgresError {
    /// SQLSTATE classes where the same statement with the same values fails the same way: 22 data exception,
    /// 23 integrity constraint violation. Class 42 (undefined table or column, permission denied, syntax) is
    /// left transient on purpose: it comes from a missing migration or a bad deploy and fails every record, so
    /// the stage should stall and be fixed, not dead-letter its whole input.
    static let permanentClasses: Set<Substring> = ["22", "23"]

    /// Whether retrying the same work with the same values fails the same way. A statement the server
    /// rejected goes by its SQLSTATE class; a value that cannot be sent, a result that cannot be decoded and an
    /// unsupported protocol step are permanent. Everything else is transient: connection loss (08), transaction
    /// rollback such as serialization failure or deadlock (40), insufficient resources (53), operator
    /// intervention such as shutdown or statement timeout (57), system errors (58), and every class not named
    /// here, since retrying during an outage nobody foresaw is safe and giving up is not.
    public var isPermanent: Bool {
        switch code {
        case .queryFailed: sqlState.map { Self.permanentClasses.contains($0.prefix(2)) } ?? false
        case .invalidParameter, .decoding, .unsupported: true
        case .connectionFailed, .connectionClosed, .poolClosed, .transactionAborted: false
        }
    }

    /// A fixed, PHI-free name for the error: `postgres.<SQLSTATE>` (e.g. `postgres.23505`), or
    /// `postgres.<code>` when the server sent none (e.g. `postgres.invalidParameter`).
    public var kind: String {
        "postgres.\(sqlState ?? code.rawValue)"
    }
}
