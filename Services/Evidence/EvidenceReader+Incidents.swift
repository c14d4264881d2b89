import Foundation
import VigilAudit
import VigilPostgres

extension EvidenceReader {
    /// The three kinds of serious-incident candidate, sorted by kind, then time, and the outcomes left out
    /// because no live model decided their condition (counted by condition).
    func incidentCandidates(
        _ connection: PostgresConnection, _ period: Period, gates: [GateRow], monitoring: PostMarketMonitoring
    ) async throws -> (candidates: [IncidentCandidate], unwatched: [String: Int]) {
        let all = try await Self.outcomes(connection, period)
        let live = try await Self.liveConditions(connection, before: period.to)
        let outcomes = all.filter { live.contains($0.condition) }
        let unwatched = all.filter { !live.contains($0.condition) }.reduce(into: [:]) {
            $0[$1.condition, default: 0] += 1
        }
        let openings = try await Self.openings(connection, patients: Array(Set(outcomes.map(\.patient))))
        // The whole stop history up to the period's end: a stop from before `from` may still be in force.
        let changes = try await AuditExtract.entries(
            using: connection, from: nil, to: period.to,
            actions: ["model.register", "model.stop", "model.restart", "model.status"])
        let history = StopHistory(audit: changes, gates: gates.filter { $0.changedAt < period.to })
        let raised = try await Self.raisedAlerts(connection, period)
        let candidates =
            IncidentRules.missedAlerts(outcomes, openings, window: outcomeWindow)
            + IncidentRules.alertsOnStoppedModels(raised, history)
            + IncidentRules.criticalGovernanceAlerts(monitoring.governanceAlerts)
        return (candidates, unwatched)
    }

    /// Conditions some live (not shadow) model decided on before `end`. An outcome of any other condition had
    /// nothing that could alert (e.g. only a shadow model covers it): no missed alert, but counted in the summary.
    static func liveConditions(_ connection: PostgresConnection, before end: Date) async throws -> Set<String> {
        let rows = try await connection.query(
            """
            SELECT DISTINCT condition FROM notify.risk_decisions
            WHERE mode = 'live' AND condition IS NOT NULL AND condition <> '' AND decided_at < \(end)
            """)
        return Set(try rows.map { try $0.decode(String.self, at: 0) })
    }

    /// Confirmed outcomes received in the period. Selected by arrival, not onset: onsets are clinical times,
    /// shifted per patient by de-identification, so they do not fall on the calendar the period is given in.
    static func outcomes(_ connection: PostgresConnection, _ period: Period) async throws -> [IncidentRules.Outcome] {
        let rows = try await connection.query(
            """
            SELECT event_id, patient, condition, onset, received_at FROM notify.outcomes
            WHERE NOT retracted AND received_at >= \(period.from) AND received_at < \(period.to)
            ORDER BY received_at, event_id
            """)
        return try rows.map { row in
            let (id, patient, condition, onset, received) = try row.decode((String, String, String, Date, Date).self)
            return .init(eventID: id, patient: patient, condition: condition, onset: onset, receivedAt: received)
        }
    }

    /// Every episode of the patients, opened at the clinical time of the record that raised it (the outcome's
    /// clock), else at the wall-clock `opened_at`, as monitoring matches them.
    static func openings(_ connection: PostgresConnection, patients: [String]) async throws -> [IncidentRules.Opening] {
        guard !patients.isEmpty else { return [] }
        let rows = try await connection.query(
            """
            SELECT e.id, e.patient, e.condition, e.model_id,
              coalesce((SELECT r.event_time FROM notify.risk_decisions r
                        WHERE r.episode_id = e.id AND r.decision = 'raise' ORDER BY r.decided_at LIMIT 1), e.opened_at)
            FROM notify.episodes e WHERE e.patient = ANY(\(PostgresTextArray(patients))::text[])
            ORDER BY e.opened_at, e.id
            """)
        return try rows.map { row in
            let (id, patient, condition, model, opened) = try row.decode((String, String, String, String, Date).self)
            return .init(alertID: id, patient: patient, condition: condition, modelID: model, opened: opened)
        }
    }

    /// `raised` events recorded in the period, with the model version that raised them.
    static func raisedAlerts(_ connection: PostgresConnection, _ period: Period) async throws -> [IncidentRules.Raised]
    {
        let rows = try await connection.query(
            """
            SELECT a.id, a.episode_id, a.created_at, e.patient, e.condition, e.model_id, e.state->'model'->>'version'
            FROM notify.alert_events a JOIN notify.episodes e ON e.id = a.episode_id
            WHERE a.action = 'raised' AND a.created_at >= \(period.from) AND a.created_at < \(period.to)
            ORDER BY a.created_at, a.id
            """)
        return try rows.map { row in
            let (id, alert, at, patient, condition, model, version) = try row.decode(
                (String, String, Date, String, String, String, String?).self)
            return .init(
                eventID: id, alertID: alert, at: at, patient: patient, condition: condition, modelID: model,
                version: version)
        }
    }
}
