/// How to reach PostgreSQL and how the pool behaves. The library never reads the environment: executables
/// build this from their configuration and pass it in.
public struct PostgresConfiguration: Sendable {
    /// A libpq connection string: a URL (`postgresql://user@host:5432/db?sslmode=require`) or `key=value` pairs.
    public var connectionString: String
    /// Replaces the database named in `connectionString`. Default nil: use the string as is.
    public var database: String?
    /// The most connections a pool keeps open at once. Default 4.
    public var poolSize: Int
    /// How long one connection attempt may take. libpq counts whole seconds (at least 2). Default 10 s.
    public var connectTimeout: Duration
    /// Shown in `pg_stat_activity` and server logs. Default "vigil".
    public var applicationName: String
    /// A pooled connection idle for longer than this is checked with an empty query before it is handed out,
    /// so connections that died with a server restart are replaced instead of failing a query.
    /// Default 30 s; `.zero` checks on every checkout.
    public var idleValidationInterval: Duration

    public init(
        connectionString: String,
        database: String? = nil,
        poolSize: Int = 4,
        connectTimeout: Duration = .seconds(10),
        applicationName: String = "vigil",
        idleValidationInterval: Duration = .seconds(30)
    ) {
        self.connectionString = connectionString
        self.database = database
        self.poolSize = poolSize
        self.connectTimeout = connectTimeout
        self.applicationName = applicationName
        self.idleValidationInterval = idleValidationInterval
    }

    /// Keyword/value pairs for `PQconnectdbParams`. The connection string comes first (expanded by libpq);
    /// later entries override what it says.
    var libpqParameters: [(String, String)] {
        let seconds = connectTimeout.components.seconds + (connectTimeout.components.attoseconds > 0 ? 1 : 0)
        var parameters: [(String, String)] = [
            ("dbname", connectionString),
            ("application_name", applicationName),
            ("connect_timeout", String(max(2, seconds))),
            ("client_encoding", "UTF8"),
        ]
        if let database { parameters.append(("dbname", database)) }
        return parameters
    }
}

extension PostgresConfiguration: CustomStringConvertible {
    /// Leaves out the connection string: it may hold a password.
    public var description: String {
        "PostgresConfiguration(database: \(database ?? "<from connection string>"), poolSize: \(poolSize), "
            + "connectTimeout: \(connectTimeout), idleValidationInterval: \(idleValidationInterval))"
    }
}
