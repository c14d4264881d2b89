import Foundation
import Inference
import Notification
import Synchronization
import Testing
import VigilAudit
import VigilKafka
import VigilModelCore

/// The oversight stop switch reaches the model registry: notify's gate change is published once, infer stops
/// every version of the model (audited with the person and reason), a restart restores each version's own
/// status, and a replayed older change is ignored.
@Suite(.enabled(if: TestDatabase.isConfigured, "needs VIGIL_PG_URL (make test sets it)"))
struct StopSwitchTests {
    @Test func gateChangesReachTheRegistryInOrder() async throws {
        try await TestDatabase.withFresh(migrated: true) { database in
            let pool = database.pool
            let registry = ModelRegistry(pool: pool, audit: AuditLog(pool: pool))
            let learned = ModelReference(id: "sepsis-lgbm", version: "1.0.0", sha256: HexDigest.sha256(framing: ["a"]))
            let older = ModelReference(id: "sepsis-lgbm", version: "0.9.0", sha256: HexDigest.sha256(framing: ["b"]))
            try await registry.register(learned, kind: "tree-ensemble", status: .shadow)
            try await registry.register(older, kind: "tree-ensemble", status: .active)
            let sent = Mutex<[OutboundRecord]>([])
            let relay = ModelGateRelay(pool: pool, logger: TestKafka.logger) { record in sent.withLock { $0.append(record) } }
            let handler = ModelGateHandler(registry: registry)
            func deliver(_ records: [OutboundRecord]) async throws {
                _ = try await handler.handle(
                    records.map { KafkaMessage(topic: $0.topic, partition: 0, offset: 0, key: $0.key, value: $0.value, headers: $0.headers) })
            }

            // What the notify API's stop writes (ModelGates.change); the trigger marks it unpublished.
            _ = try await pool.execute(
                """
                INSERT INTO notify.model_gates (model_id, status, reason, changed_by, changed_at)
                VALUES ('sepsis-lgbm', 'stopped', 'alerts on the wrong patients', 'user:admin', now() - interval '1 minute')
                """)
            #expect(try await relay.publishPending() == 1)
            #expect(try await relay.publishPending() == 0, "published once")
            let stop = sent.withLock { $0 }
            #expect(stop.first?.topic == Topics.modelStatus && stop.first?.key == Array("sepsis-lgbm".utf8))
            try await deliver(stop)
            #expect(try await registry.status(of: learned, maxAge: .zero) == .stopped)
            #expect(try await registry.status(of: older, maxAge: .zero) == .stopped)
            let audits = try await pool.query(
                "SELECT actor, reason FROM audit.log WHERE action = 'model.stop' ORDER BY seq")
            let rows = try audits.map { try $0.decode((String, String).self) }
            #expect(rows.count == 2 && rows.allSatisfy { $0 == ("user:admin", "alerts on the wrong patients") })

            // Restart: each version gets back its own status.
            _ = try await pool.execute(
                """
                UPDATE notify.model_gates SET status = 'active', reason = 'fixed and re-validated', changed_at = now()
                WHERE model_id = 'sepsis-lgbm'
                """)
            sent.withLock { $0 = [] }
            #expect(try await relay.publishPending() == 1)
            try await deliver(sent.withLock { $0 })
            #expect(try await registry.status(of: learned, maxAge: .zero) == .shadow)
            #expect(try await registry.status(of: older, maxAge: .zero) == .active)

            // A replay of the old stop is older than what was applied: nothing changes.
            try await deliver(stop)
            #expect(try await registry.status(of: learned, maxAge: .zero) == .shadow)
        }
    }
}
