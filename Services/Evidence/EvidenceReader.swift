import Foundation
import Notification
import VigilAudit
import VigilModelCore
import VigilPostgres

/// Reads the evidence pack of [from, to) from PostgreSQL: audit, infer and notify schemas, so it needs a role that
/// reads all three (the operator's `vigil`). Everything comes from one read-only REPEATABLE READ snapshot, so the
/// sections agree with each other and with the chain verification however long the export runs.
public struct EvidenceReader: Sendable {
    let pool: PostgresPool
    /// When an alert counts for a confirmed outcome: the window monitoring's PPV and shadow sensitivity use.
    let outcomeWindow: OutcomeWindow

    public init(pool: PostgresPool, outcomeWindow: OutcomeWindow = .init()) {
        self.pool = pool
        self.outcomeWindow = outcomeWindow
    }

    public func read(from: Date, to: Date, now: Date = Date()) async throws -> EvidencePack {
        precondition(from < to, "the period must not be empty")
        let snapshot = PostgresTransactionOptions(isolationLevel: .repeatableRead, readOnly: true)
        return try await pool.withTransaction(snapshot) { connection in
            let period = Period(from: from, to: to)
            let verification = try await AuditVerifier.verify(using: connection)
            let entries = try await AuditExtract.entries(using: connection, from: from, to: to)
            let transparency = Transparency(
                models: try await Self.models(connection, period), policies: try await Self.policies(connection, period)
            )
            let gates = try await Self.gates(connection)
            let oversight = HumanOversight(
                actions: try await Self.alertActions(connection, period),
                perDay: try await Self.perDay(connection, period),
                stopSwitchUses: entries.filter { Self.stopActions.contains($0.action) }.map(Self.use),
                gatesAtExport: gates.map(\.row),
                identityReveals: entries.filter { Self.isReveal($0.action) }.map(Self.use))
            let monitoring = PostMarketMonitoring(
                windows: try await Self.windows(connection, period),
                governanceAlerts: try await Self.governanceAlerts(connection, period))
            let (candidates, unwatched) = try await incidentCandidates(
                connection, period, gates: gates, monitoring: monitoring)
            let recordKeeping = RecordKeeping(chain: Self.chain(verification), entries: entries.map(Self.entry))
            return EvidencePack(
                generatedAt: EvidenceTime.text(now),
                period: .init(from: EvidenceTime.text(from), to: EvidenceTime.text(to)),
                summary: EvidenceSummary.make(
                    recordKeeping: recordKeeping, transparency: transparency, oversight: oversight,
                    monitoring: monitoring,
                    candidates: candidates, unwatchedOutcomes: unwatched),
                recordKeeping: recordKeeping, transparency: transparency, humanOversight: oversight,
                postMarketMonitoring: monitoring, incidentCandidates: candidates)
        }
    }

    struct Period {
        var from: Date
        var to: Date
    }

    static let stopActions: Set<String> = ["model.stop", "model.restart", "model.status"]

    /// Notify's reveal grants, deid's grants, reveals and refusals, and any future `reid.*` action.
    static func isReveal(_ action: String) -> Bool {
        ["alert.reveal_grant", "deid.grant", "deid.reveal", "deid.reveal_denied"].contains(action)
            || action.hasPrefix("reid.")
    }

    static func chain(_ verification: AuditVerification) -> RecordKeeping.ChainResult {
        switch verification {
        case .intact(let rows, let head):
            return .init(
                status: "intact", verifiedEntries: rows, headSeq: head.seq, headHash: Hex.encode(head.hash),
                description: "audit chain intact: \(rows) entries, head seq \(head.seq)")
        case .broken(let link):
            return .init(
                status: "broken", verifiedEntries: max(link.seq - 1, 0), brokenSeq: link.seq,
                brokenReason: link.reason.rawValue, description: link.description)
        }
    }

    static func entry(_ record: AuditRecord) -> RecordKeeping.AuditEntry {
        .init(
            seq: record.seq, at: EvidenceTime.text(record.at), atMicroseconds: record.atMicroseconds,
            actor: record.actor,
            action: record.action, subject: record.subject, reason: record.reason, details: record.details,
            prevHash: Hex.encode(record.prevHash), hash: Hex.encode(record.hash))
    }

    static func use(_ record: AuditRecord) -> HumanOversight.AuditUse {
        .init(
            seq: record.seq, at: EvidenceTime.text(record.at), actor: record.actor, action: record.action,
            subject: record.subject, reason: record.reason, details: record.details)
    }

    /// Every registered version created before the period ended, and any version notify decided on in the period
    /// without a registry row (a finding in itself).
    static func models(_ connection: PostgresConnection, _ period: Period) async throws -> [Transparency.Model] {
        let rows = try await connection.query(
            """
            WITH used AS (
              SELECT model_id, model_version, count(*) FILTER (WHERE mode = 'live')::int AS live,
                count(*) FILTER (WHERE mode = 'shadow')::int AS shadow
              FROM notify.risk_decisions WHERE decided_at >= \(period.from) AND decided_at < \(period.to) AND model_id <> ''
              GROUP BY 1, 2),
            registered AS (SELECT * FROM infer.models WHERE created_at < \(period.to))
            SELECT coalesce(m.id, u.model_id), coalesce(m.version, u.model_version), m.id IS NOT NULL, m.status, m.kind,
              m.sha256, m.card, m.created_at, m.changed_at, coalesce(u.live, 0), coalesce(u.shadow, 0)
            FROM registered m FULL JOIN used u ON u.model_id = m.id AND u.model_version = m.version
            ORDER BY 1, 2
            """)
        return try rows.map { row in
            let (id, version, registered, status, kind, sha, card, created, changed, live, shadow) = try row.decode(
                (String, String, Bool, String?, String?, String?, String?, Date?, Date?, Int, Int).self)
            return .init(
                id: id, version: version, registered: registered, status: status, kind: kind, sha256: sha, card: card,
                registeredAt: created.map(EvidenceTime.text), statusChangedAt: changed.map(EvidenceTime.text),
                liveDecisions: live, shadowDecisions: shadow, inUse: live + shadow > 0)
        }
    }

    /// Every policy loaded before the period ended, with the decisions it made in the period.
    static func policies(_ connection: PostgresConnection, _ period: Period) async throws -> [Transparency.Policy] {
        let rows = try await connection.query(
            """
            WITH used AS (
              SELECT policy_hash, count(*)::int AS n FROM notify.risk_decisions
              WHERE decided_at >= \(period.from) AND decided_at < \(period.to) GROUP BY 1),
            loaded AS (SELECT * FROM notify.policies WHERE loaded_at < \(period.to))
            SELECT coalesce(p.hash, u.policy_hash), p.name, p.version, p.loaded_at, coalesce(u.n, 0)
            FROM loaded p FULL JOIN used u ON u.policy_hash = p.hash
            ORDER BY p.loaded_at NULLS LAST, 1
            """)
        return try rows.map { row in
            let (hash, name, version, loaded, decisions) = try row.decode((String, String?, String?, Date?, Int).self)
            return .init(
                hash: hash, name: name, version: version, loadedAt: loaded.map(EvidenceTime.text), decisions: decisions,
                inUse: decisions > 0)
        }
    }
}

/// Times as the pack writes them: RFC 3339 UTC with milliseconds, like every Vigil payload.
enum EvidenceTime {
    static func text(_ date: Date) -> String { Timestamp.format(date) ?? "\(date)" }

    /// `YYYY-MM-DD` of the UTC day.
    static func day(_ date: Date) -> String { String(text(date).prefix(10)) }

    static func startOfDay(_ date: Date) -> Date {
        Date(timeIntervalSince1970: (date.timeIntervalSince1970 / 86400).rounded(.down) * 86400)
    }
}
