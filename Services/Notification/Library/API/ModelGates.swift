import Foundation
import VigilAudit
import VigilModelCore
import VigilPostgres

/// The stop switch (design §6): a model's gate in `notify.model_gates` and the models notify has seen.
public struct ModelGates: Sendable {
    struct Model: Sendable {
        var id: String
        /// `stopped` by the gate, else the mode of its latest decision: `active` or `shadow`.
        var status: String
        var versions: [String]
        var reason: String?
        var changedBy: String?
        var changedAt: Date?
        var lastDecisionAt: Date?
        var liveAlerts: Int
    }

    let store: AlertStore

    public init(store: AlertStore) {
        self.store = store
    }

    func list() async throws -> [Model] {
        let rows = try await store.pool.query(
            """
            SELECT ids.model_id, g.status, g.reason, g.changed_by, g.changed_at,
              (SELECT r.mode FROM notify.risk_decisions r WHERE r.model_id = ids.model_id
               ORDER BY r.decided_at DESC LIMIT 1),
              (SELECT string_agg(DISTINCT r.model_version, ',') FROM notify.risk_decisions r
               WHERE r.model_id = ids.model_id),
              (SELECT max(r.decided_at) FROM notify.risk_decisions r WHERE r.model_id = ids.model_id),
              (SELECT count(*)::int FROM notify.episodes e
               WHERE e.model_id = ids.model_id AND e.status IN ('open', 'acknowledged', 'snoozed'))
            FROM (SELECT model_id FROM notify.model_gates
                  UNION SELECT DISTINCT model_id FROM notify.risk_decisions WHERE model_id <> '') ids
            LEFT JOIN notify.model_gates g ON g.model_id = ids.model_id
            ORDER BY ids.model_id
            """)
        return try rows.map { row in
            let (id, gate, reason, by, at, mode, versions, last, live) = try row.decode(
                (String, String?, String?, String?, Date?, String?, String?, Date?, Int).self)
            let status = gate == "stopped" ? "stopped" : (mode == "shadow" ? "shadow" : "active")
            return Model(
                id: id, status: status, versions: versions?.split(separator: ",").map(String.init) ?? [],
                reason: reason, changedBy: by, changedAt: at, lastDecisionAt: last, liveAlerts: live)
        }
    }

    /// Sets the gate and, on stop, retracts the model's live episodes (`model-stopped`), with the `model.stop`
    /// or `model.restart` audit entry, in one transaction. Returns the number of episodes retracted.
    @discardableResult
    public func change(
        _ modelID: String, stop: Bool, reason: String, by principal: NotifyPrincipals.Principal, now: Date = Date()
    ) async throws -> Int {
        try await store.pool.withTransaction { connection in
            _ = try await connection.execute(
                """
                INSERT INTO notify.model_gates (model_id, status, reason, changed_by, changed_at)
                VALUES (\(modelID), \(stop ? "stopped" : "active"), \(reason), \(principal.actor), \(now))
                ON CONFLICT (model_id) DO UPDATE SET status = excluded.status, reason = excluded.reason,
                  changed_by = excluded.changed_by, changed_at = excluded.changed_at
                """)
            var retracted = 0
            if stop {
                let live = try await connection.query(
                    """
                    SELECT id FROM notify.episodes
                    WHERE model_id = \(modelID) AND status IN ('open', 'acknowledged', 'snoozed') ORDER BY id FOR UPDATE
                    """)
                for row in live {
                    guard let id = EventID(try row.decode(String.self, at: 0)) else { continue }
                    let (_, emitted) = try await store.apply(
                        .modelStopped(modelID: modelID), to: .alert(id), on: connection, now: now)
                    retracted += emitted.isEmpty ? 0 : 1
                }
            }
            try await AuditLog.append(
                using: connection, actor: principal.actor, action: stop ? "model.stop" : "model.restart",
                subject: "model:\(modelID)", reason: reason,
                details: ["retracted": String(retracted), "role": Authorizer.actingRole(principal, .changeModels)])
            return retracted
        }
    }

    /// Model ids as the registry writes them: no spaces or slashes, so they are safe in paths and audit subjects.
    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.count <= 128
            && id.unicodeScalars.allSatisfy {
                $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0))
            }
    }
}
