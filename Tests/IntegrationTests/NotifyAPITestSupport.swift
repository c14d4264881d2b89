import Crypto
import Foundation
import Logging
import Testing
import Notification
import ServiceLifecycle
import VigilModelCore
import VigilRuntime

/// The notify API on a kernel-chosen port against a fresh, migrated database, with one principal per role:
/// `t-icu` (clinician, ICU*), `t-ward` (clinician, WARD*), `t-audit`, `t-admin`, `t-ehr` (integration), and a
/// second admin `t-admin2` for two-person approvals.
struct NotifyAPIHarness: Sendable {
    let database: TestDatabase
    let store: AlertStore
    let port: Int

    static func sha(_ token: String) -> String { Hex.encode(SHA256.hash(data: Data(token.utf8))) }

    static let principals = NotifyPrincipals([
        .init(id: "nurse-icu", tokenSHA256: sha("t-icu"), roles: [.clinician], units: ["ICU*"]),
        .init(id: "nurse-ward", tokenSHA256: sha("t-ward"), roles: [.clinician], units: ["WARD*"]),
        .init(id: "auditor", tokenSHA256: sha("t-audit"), roles: [.auditor]),
        .init(id: "admin", tokenSHA256: sha("t-admin"), roles: [.admin]),
        .init(id: "ehr", tokenSHA256: sha("t-ehr"), roles: [.integration]),
        .init(id: "admin-2", tokenSHA256: sha("t-admin2"), roles: [.admin]),
    ])

    static let news2 = ModelReference(id: "news2", version: "rcp-2017.1", sha256: HexDigest.sha256(framing: ["news2"]))

    static func with(_ body: (NotifyAPIHarness) async throws -> Void) async throws {
        try await TestDatabase.withFresh(migrated: true) { database in try await run(database, body) }
    }

    /// The API on an existing database; `reid` enables the identity reveal, `port` 0 lets the kernel choose.
    static func run(
        _ database: TestDatabase, reid: ReidGrantClient? = nil, port fixedPort: Int = 0,
        logger: Logger = TestKafka.logger, _ body: (NotifyAPIHarness) async throws -> Void
    ) async throws {
        let policy = try AlertPolicyLoader.builtIn()
        _ = try await database.pool.execute(
            """
            INSERT INTO notify.policies (hash, name, version)
            VALUES (\(policy.hash), \(policy.name), \(policy.version))
            """
        )
        let store = AlertStore(pool: database.pool, policy: policy)
        let subscriptions = SubscriptionStore(
            pool: database.pool, sealer: try SecretSealer(key: Array(repeating: 4, count: 32)), allowInsecureLoopback: true)
        let api = try NotificationAPI(
            store: store, principals: principals,
            configuration: .init(host: "127.0.0.1", port: fixedPort, cookieSecure: false, reid: reid),
            subscriptions: subscriptions, logger: logger)
        let port = PortBox()
        let group = ServiceGroup(services: [api.application { port.set($0) }], logger: TestKafka.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while port.value == 0 { try await Task.sleep(for: .milliseconds(10)) }
            do {
                try await body(NotifyAPIHarness(database: database, store: store, port: port.value))
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// Raises a NEWS2 alert (7: critical, 5: high) for a new patient in `unit`; returns its id.
    @discardableResult
    func raise(unit: String?, score: Double = 5, patient: String, at time: Date = Date()) async throws -> EventID {
        let pseudonym = try Pseudonym.derive(
            assigningAuthority: "HOSP", patientID: patient, key: Array(repeating: 3, count: 32), keyID: "k1")
        return try await raise(unit: unit, score: score, pseudonym: pseudonym, at: time)
    }

    /// The same for a given pseudonym (e.g. one that deid's vault knows).
    @discardableResult
    func raise(unit: String?, score: Double = 5, pseudonym: Pseudonym, at time: Date = Date()) async throws -> EventID {
        let patient = pseudonym.rawValue
        let record = RiskRecord(
            id: EventID.derive(
                namespace: "risk-test", parts: [patient, String(score), String(time.timeIntervalSince1970)]),
            patient: pseudonym, model: Self.news2, scoreName: "news2", value: score,
            parts: ["news2.rr": 3, "news2.spo2": 1],
            inputEventIDs: [EventID.derive(namespace: "test", parts: [patient])],
            computedAt: time, eventTime: time, band: "high", modelStatus: .active)
        let emitted = try await store.decide(record, context: RecordContext(unit: unit), now: time)
        return try #require(emitted.first { $0.event.action == .raised }).event.alertID
    }

    /// Signs in on the oversight page; returns the session cookie (`name=value`).
    func signIn(_ token: String) async throws -> String {
        let reply = try await HTTP1Client.request(
            "POST", port: port, path: "/oversight/login",
            headers: [("Content-Type", "application/x-www-form-urlencoded")], body: Array("token=\(token)".utf8))
        return String(try #require(reply.header("Set-Cookie")).prefix { $0 != ";" })
    }

    func call(
        _ method: String, _ path: String, token: String? = nil, json: [String: Any]? = nil,
        headers: [(String, String)] = []
    ) async throws -> HTTP1Client.Response {
        var all = headers
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        var body: [UInt8]?
        if let json {
            all.append(("Content-Type", "application/json"))
            body = Array(try JSONSerialization.data(withJSONObject: json))
        }
        return try await HTTP1Client.request(method, port: port, path: path, headers: all, body: body)
    }

    /// Rows of `audit.log` for `action`: (actor, subject, reason, details as text).
    func audit(_ action: String) async throws -> [(actor: String, subject: String, reason: String, details: String)] {
        let rows = try await database.pool.query(
            """
            SELECT actor, subject, coalesce(reason, ''), coalesce(details::text, '') FROM audit.log
            WHERE action = \(action) ORDER BY seq
            """)
        return try rows.map { try $0.decode((String, String, String, String).self) }.map {
            (actor: $0.0, subject: $0.1, reason: $0.2, details: $0.3)
        }
    }
}

extension HTTP1Client.Response {
    var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:] }
}
