import Foundation
import Metrics
import VigilModelCore
import VigilPostgres

/// Computes each model's safety figures for a window, overall and per cohort, stores them in
/// `notify.monitoring_windows` and records the governance alerts their thresholds raise (each once per window,
/// cohort and metric). Windows are wall-clock: this is about how the model behaves in operation now.
public struct SafetyMonitor: Sendable {
    let pool: PostgresPool
    /// Reference score distributions by `id@version`; a model without one is compared with its first day.
    let references: [String: ScoreReference]
    let thresholds: MonitoringThresholds

    public init(pool: PostgresPool, references: [String: ScoreReference] = [:], thresholds: MonitoringThresholds = .init()) {
        self.pool = pool
        self.references = references
        self.thresholds = thresholds
    }

    /// The figures of every model with records in [from, to); returns the governance alerts newly raised.
    @discardableResult
    public func compute(from: Date, to: Date, now: Date = Date()) async throws -> [GovernanceAlert] {
        let models = try await pool.query(
            """
            SELECT model_id, model_version, bool_or(mode = 'live'), mode() WITHIN GROUP (ORDER BY condition)
            FROM notify.risk_decisions WHERE decided_at >= \(from) AND decided_at < \(to) AND model_id <> ''
            GROUP BY 1, 2 ORDER BY 1, 2
            """)
        var raised: [GovernanceAlert] = []
        for row in models {
            let (id, version, live, condition) = try row.decode((String, String, Bool, String?).self)
            raised += try await computeModel(
                id: id, version: version, mode: live ? "live" : "shadow", condition: condition, from: from, to: to, now: now)
        }
        return raised
    }

    private func computeModel(
        id: String, version: String, mode: String, condition: String?, from: Date, to: Date, now: Date
    ) async throws -> [GovernanceAlert] {
        let (input, cohorts) = try await load(id: id, version: version, condition: condition, from: from, to: to)
        let reference = try await reference(id: id, version: version, values: input.decisions.map(\.value))
        let probability = input.decisions.allSatisfy { (0...1).contains($0.value) } && id != "news2"
        let all = SafetyFigures(input, reference: reference, probability: probability)
        var figures = [(Cohort.all, all)]
        for (cohort, patients) in cohorts.sorted(by: { $0.key < $1.key }) {
            figures.append((cohort, SafetyFigures(input.only(patients), reference: reference, probability: probability)))
        }
        var raised: [GovernanceAlert] = []
        for (cohort, f) in figures {
            let json = String(decoding: try VigilJSON.encode(f), as: UTF8.self)
            _ = try await pool.execute(
                """
                INSERT INTO notify.monitoring_windows (model_id, model_version, window_start, window_end, cohort, mode, figures)
                VALUES (\(id), \(version), \(from), \(to), \(cohort), \(mode), \(json)::jsonb)
                ON CONFLICT (model_id, model_version, window_start, cohort)
                DO UPDATE SET window_end = excluded.window_end, figures = excluded.figures, mode = excluded.mode, computed_at = now()
                """)
            for (metric, value, threshold, severity) in thresholds.crossings(f, cohort: cohort, all: all) {
                let alert = GovernanceAlert(
                    modelID: id, modelVersion: version, windowStart: from, windowEnd: to, cohort: cohort, metric: metric,
                    value: value, threshold: threshold, severity: severity, raisedAt: now)
                let payload = String(decoding: try VigilJSON.encode(alert), as: UTF8.self)
                let inserted = try await pool.query(
                    """
                    INSERT INTO notify.governance_alerts
                      (id, model_id, model_version, window_start, cohort, metric, value, threshold, severity, payload)
                    VALUES (\(alert.id.rawValue), \(id), \(version), \(from), \(cohort), \(metric), \(value), \(threshold),
                            \(severity.rawValue), \(payload))
                    ON CONFLICT (id) DO NOTHING RETURNING 1
                    """)
                guard !inserted.isEmpty else { continue }
                Counter(label: "vigil_notify_governance_alerts_total", dimensions: [("metric", metric), ("severity", severity.rawValue)])
                    .increment()
                raised.append(alert)
            }
        }
        return raised
    }

    private func load(
        id: String, version: String, condition: String?, from: Date, to: Date
    ) async throws -> (SafetyInput, [String: Set<Pseudonym>]) {
        let rows = try await pool.query(
            """
            SELECT d.patient, d.value, coalesce(d.event_time, d.decided_at), p.age_band, p.sex, p.unit
            FROM notify.risk_decisions d LEFT JOIN notify.patients p ON p.patient = d.patient
            WHERE d.model_id = \(id) AND d.model_version = \(version) AND d.decided_at >= \(from) AND d.decided_at < \(to)
            """)
        var decisions: [SafetyInput.Decision] = []
        var cohorts: [String: Set<Pseudonym>] = [:]
        for row in rows {
            let (patient, value, time, age, sex, unit) = try row.decode((String, Double, Date, String?, String?, String?).self)
            guard let pseudonym = Pseudonym(patient) else { continue }
            decisions.append(.init(patient: pseudonym, value: value, time: time))
            for key in Cohort.keys(ageBand: age, sex: sex, unit: unit) { cohorts[key, default: []].insert(pseudonym) }
        }
        let opened = try await pool.query(
            """
            SELECT e.state::text, (SELECT r.event_time FROM notify.risk_decisions r WHERE r.episode_id = e.id AND r.decision = 'raise' LIMIT 1)
            FROM notify.episodes e
            WHERE e.model_id = \(id) AND e.state->'model'->>'version' = \(version) AND e.opened_at >= \(from) AND e.opened_at < \(to)
            """)
        let episodes = try opened.map { row -> SafetyInput.Episode in
            let (text, clinical) = try row.decode((String, Date?).self)
            let state = try AlertQueries.episode(text)
            return .init(
                patient: state.patient, openedAt: state.openedAt, openedClinical: clinical, ackedAt: state.ackedAt,
                overrideCode: state.overrideCode?.rawValue)
        }
        var onsets: [Pseudonym: Date] = [:]
        if let condition {
            onsets = try await OutcomeStore(pool: pool).onsets(
                condition: condition, patients: Array(Set(decisions.map(\.patient))))
        }
        return (SafetyInput(decisions: decisions, episodes: episodes, onsets: onsets), cohorts)
    }

    /// The model's reference distribution, else the deciles of its first UTC day of records.
    private func reference(id: String, version: String, values: [Double]) async throws -> ScoreReference? {
        if let known = references["\(id)@\(version)"] { return known }
        let rows = try await pool.query(
            """
            WITH first AS (SELECT date_trunc('day', min(decided_at)) AS day FROM notify.risk_decisions
                           WHERE model_id = \(id) AND model_version = \(version))
            SELECT value FROM notify.risk_decisions, first
            WHERE model_id = \(id) AND model_version = \(version) AND decided_at >= first.day
              AND decided_at < first.day + interval '1 day'
            """)
        return ScoreReference(baseline: try rows.map { try $0.decode(Double.self, at: 0) })
    }
}
