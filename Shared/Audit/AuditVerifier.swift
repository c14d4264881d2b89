import VigilPostgres

/// The outcome of walking the audit chain.
public enum AuditVerification: Sendable, Hashable {
    /// Every entry links to its predecessor and matches its hash. `head` is the last entry
    /// (seq 0 and the genesis hash for an empty log); publish it elsewhere to detect a truncated tail later.
    case intact(rows: Int64, head: AuditHead)
    /// The first place where the chain breaks.
    case broken(BrokenLink)
}

public struct AuditHead: Sendable, Hashable {
    public let seq: Int64
    public let hash: [UInt8]

    public init(seq: Int64, hash: [UInt8]) {
        self.seq = seq
        self.hash = hash
    }
}

/// Where and why the chain breaks.
public struct BrokenLink: Sendable, Hashable, CustomStringConvertible {
    public enum Reason: String, Sendable, Hashable {
        /// Entry `seq` is missing (deleted, or the following entries were renumbered).
        case sequenceGap
        /// Entry `seq`'s stored hash does not match its fields: the entry was edited (or moved: seq is hashed).
        case hashMismatch
        /// Entry `seq`'s `prevHash` is not its predecessor's hash: an entry before it was replaced wholesale.
        case prevHashMismatch
        /// Entry `seq` has hashes of the wrong length.
        case malformedRow
    }

    public let seq: Int64
    public let reason: Reason

    public init(seq: Int64, reason: Reason) {
        self.seq = seq
        self.reason = reason
    }

    public var description: String { "audit chain broken at seq \(seq): \(reason.rawValue)" }
}

/// Checks entries one at a time, in seq order; pure, so it can be fed from any source.
public struct AuditChainWalker: Sendable {
    public private(set) var rows: Int64 = 0
    public private(set) var head = AuditHead(seq: 0, hash: AuditCanonical.genesisHash)

    public init() {}

    /// Checks the next entry and advances; returns the break if there is one (then stop feeding).
    public mutating func consume(_ record: AuditRecord) -> BrokenLink? {
        let expected = head.seq + 1
        guard record.seq == expected else { return BrokenLink(seq: expected, reason: .sequenceGap) }
        guard record.hash.count == 32, record.prevHash.count == 32 else {
            return BrokenLink(seq: record.seq, reason: .malformedRow)
        }
        guard record.computedHash == record.hash else { return BrokenLink(seq: record.seq, reason: .hashMismatch) }
        guard record.prevHash == head.hash else { return BrokenLink(seq: record.seq, reason: .prevHashMismatch) }
        rows += 1
        head = AuditHead(seq: record.seq, hash: record.hash)
        return nil
    }
}

/// Proves the audit chain: recomputes every entry's hash in Swift and checks every link.
public enum AuditVerifier {
    /// Walks `audit.log` in seq order, `pageSize` rows per query, inside one read-only REPEATABLE READ
    /// transaction (one consistent snapshot, however long the walk). Needs SELECT on `audit.log`.
    public static func verify(_ pool: PostgresPool, pageSize: Int = 1000) async throws -> AuditVerification {
        precondition(pageSize > 0, "pageSize must be positive")
        let snapshot = PostgresTransactionOptions(isolationLevel: .repeatableRead, readOnly: true)
        return try await pool.withTransaction(snapshot) { connection in
            try await verify(using: connection, pageSize: pageSize)
        }
    }

    /// The same walk on the caller's connection, so a report can verify the chain in the snapshot it reads
    /// everything else from (begin a REPEATABLE READ transaction first for one consistent view).
    public static func verify(using connection: PostgresConnection, pageSize: Int = 1000) async throws -> AuditVerification {
        precondition(pageSize > 0, "pageSize must be positive")
        var walker = AuditChainWalker()
        while true {
            let page = try await connection.query(
                """
                SELECT \(unescaped: AuditRecord.selectList) FROM audit.log
                WHERE seq > \(walker.head.seq) ORDER BY seq LIMIT \(pageSize)
                """)
            for row in page {
                if let broken = walker.consume(try AuditRecord(row: row)) { return .broken(broken) }
            }
            if page.count < pageSize { return .intact(rows: walker.rows, head: walker.head) }
        }
    }
}
