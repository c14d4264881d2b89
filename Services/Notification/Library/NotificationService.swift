import Foundation
import ServiceLifecycle
import VigilAudit
import VigilKafka
import VigilModelCore
import VigilRuntime

/// `vigil-notify`: risk records become alert episodes (policy `VIGIL_NOTIFY_POLICY`, default
/// `config/notify/alert-policy.yaml`, else the built-in copy), alert events on `clinical.alerts.v1` through a
/// durable outbox, and durable escalation timers. It reads de-identified data only. An approved version in
/// `notify.policy_versions` replaces the configured policy once it is effective (`PolicyWatcher`, no restart).
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `VIGIL_NOTIFY_PRINCIPALS` | — (no API or page) | principals JSON (file path or inline): id, tokenSHA256, roles, units |
/// | `VIGIL_NOTIFY_API_HOST` / `VIGIL_NOTIFY_API_PORT` | `127.0.0.1` / `8094` | API and oversight page |
/// | `VIGIL_NOTIFY_COOKIE_SECURE` | `true` | `Secure` on the session cookie (false only for plain-HTTP tests) |
/// | `VIGIL_NOTIFY_MODEL_CARDS` | — | `<dir>/<model>/<version>.md` model cards (the page shows "Limitations") |
/// | `VIGIL_NOTIFY_REID_URL` | — (no identity reveal) | deid's reid base URL, e.g. `http://127.0.0.1:8092` |
/// | `VIGIL_NOTIFY_REID_TOKEN` / `_FILE` | — | notify's own bearer token at deid (role `grant`) |
public enum NotificationService: VigilService {
    public static let name = "notify"
    public static let defaultHTTPPort = 8084
    /// Time to acknowledge runs from seconds to hours; the default buckets stop at 10 s.
    public static let durationBuckets: [String: [Duration]] = [
        "vigil_notify_time_to_acknowledge_seconds": [30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400]
            .map { Duration.seconds($0) }
    ]

    public static func services(context: ServiceContext) async throws -> [any Service] {
        let path = context.environment.string("VIGIL_NOTIFY_POLICY", default: "config/notify/alert-policy.yaml")
        let policy =
            FileManager.default.fileExists(atPath: path) ? try AlertPolicyLoader.load(path: path) : try AlertPolicyLoader.builtIn()
        let inserted = try await context.pool.query(
            """
            INSERT INTO notify.policies (hash, name, version) VALUES (\(policy.hash), \(policy.name), \(policy.version))
            ON CONFLICT (hash) DO NOTHING RETURNING hash
            """)
        if !inserted.isEmpty {
            _ = try await AuditLog(pool: context.pool).append(
                actor: "service:notify", action: "policy.load", subject: "policy:\(policy.name)@\(policy.version)",
                details: ["hash": policy.hash])
        }
        context.logger.info("alert policy loaded", metadata: ["policy.hash": "\(policy.hash)"])
        let store = AlertStore(pool: context.pool, policy: policy)
        // The version in force, if any, before any record is decided.
        let watcher = PolicyWatcher(store: store, fallback: policy, logger: context.logger)
        try await watcher.refresh()
        let patients = PatientFacts(pool: context.pool)
        func runner(_ name: String, _ topic: String, _ handler: some StageHandler) -> StageRunner {
            StageRunner(
                configuration: StageConfiguration(
                    name: name,
                    consumer: ConsumerConfiguration(kafka: context.settings.kafka, groupID: "vigil-\(name)", topics: [topic]),
                    deadLetterTopic: Topics.deadLetter),
                producer: context.producer, handler: handler, logger: context.logger)
        }
        // Webhooks need the key that seals subscription secrets; without it deliveries wait, queued. A key
        // that is named but unusable stops start-up.
        var subscriptions: SubscriptionStore?
        var dispatcher: WebhookDispatcher?
        if context.environment.optionalString(SecretSealer.keyFileVariable) != nil {
            let sealer = try SecretSealer.load { context.environment.optionalString($0) }
            let loopback = context.environment.string("VIGIL_NOTIFY_WEBHOOK_ALLOW_HTTP_LOOPBACK", default: "false") == "true"
            subscriptions = SubscriptionStore(pool: context.pool, sealer: sealer, allowInsecureLoopback: loopback)
            dispatcher = WebhookDispatcher(
                pool: context.pool, sealer: sealer,
                configuration: WebhookDispatcherConfiguration(allowInsecureLoopback: loopback), logger: context.logger)
        } else {
            context.logger.warning("webhooks are not sent: \(SecretSealer.keyFileVariable) is not set")
        }
        // The relay sees an event once it is committed, with the deliveries it queued: the dispatcher looks for
        // them then rather than at its next poll.
        let webhooks = dispatcher
        var relay = OutboxRelay(
            pool: context.pool, logger: context.logger, delivered: { _, _ in webhooks?.wake() }
        ) { record in
            _ = try await context.producer.send(record)
        }
        relay.sendBatch = { records in _ = try await context.producer.sendBatch(records) }
        relay.wakeup = store.outboxWritten
        var services: [any Service] = [
            runner("notify-risk", Topics.risk, RiskHandler(store: store, patients: patients)),
            runner("notify-events", Topics.events, CareEventHandler(store: store, patients: patients)),
            TimerService(store: store, logger: context.logger), relay, watcher,
            ModelGateRelay(pool: context.pool, logger: context.logger) { record in _ = try await context.producer.send(record) },
            MonitorService(
                monitor: SafetyMonitor(
                    pool: context.pool, references: references(context.environment.optionalString("VIGIL_NOTIFY_MODEL_CARDS"))),
                interval: .seconds(Int64(context.environment.string("VIGIL_NOTIFY_MONITOR_SECONDS", default: "60")) ?? 60),
                logger: context.logger
            ) { record in _ = try await context.producer.send(record) },
        ]
        if let dispatcher { services.append(dispatcher) }
        return services + (try api(store, subscriptions, context))
    }

    /// The API and oversight page, when `VIGIL_NOTIFY_PRINCIPALS` names who may use them (like deid's reid port).
    /// Reference score distributions `<dir>/<id>/<version>.reference.json` (as `make train` writes them).
    static func references(_ directory: String?) -> [String: ScoreReference] {
        guard let directory, let models = try? FileManager.default.contentsOfDirectory(atPath: directory) else { return [:] }
        var found: [String: ScoreReference] = [:]
        for model in models {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: "\(directory)/\(model)")) ?? []
            for file in files where file.hasSuffix(".reference.json") {
                let version = String(file.dropLast(".reference.json".count))
                found["\(model)@\(version)"] = ScoreReference.load(path: "\(directory)/\(model)/\(file)")
            }
        }
        return found
    }

    static func api(
        _ store: AlertStore, _ subscriptions: SubscriptionStore?, _ context: ServiceContext
    ) throws -> [any Service] {
        let env = context.environment
        guard let source = env.optionalString("VIGIL_NOTIFY_PRINCIPALS") else {
            context.logger.info("VIGIL_NOTIFY_PRINCIPALS not set: no API or oversight page")
            return []
        }
        let configuration = NotificationAPI.Configuration(
            host: env.string("VIGIL_NOTIFY_API_HOST", default: "127.0.0.1"),
            port: try env.int("VIGIL_NOTIFY_API_PORT", default: 8094, range: 0...65535),
            cookieSecure: try env.bool("VIGIL_NOTIFY_COOKIE_SECURE", default: true),
            modelCards: env.optionalString("VIGIL_NOTIFY_MODEL_CARDS"), reid: try reid(env))
        let api = try NotificationAPI(
            store: store, principals: try NotifyPrincipals.load(source), configuration: configuration,
            subscriptions: subscriptions, logger: context.logger)
        context.readiness.register("api")
        return [api.application { _ in context.readiness.set("api", true) }]
    }

    /// The identity reveal needs both the URL and the token; one without the other stops start-up.
    static func reid(_ env: EnvironmentReader) throws -> ReidGrantClient? {
        let url = env.optionalString("VIGIL_NOTIFY_REID_URL")
        var token = env.optionalString("VIGIL_NOTIFY_REID_TOKEN")
        if token == nil, let path = env.optionalString("VIGIL_NOTIFY_REID_TOKEN_FILE") {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(variable: "VIGIL_NOTIFY_REID_TOKEN_FILE", problem: "cannot read \(path)")
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        switch (url, token) {
        case (nil, nil): return nil
        case (let url?, let token?) where !token.isEmpty:
            do {
                return try ReidGrantClient(baseURL: url, token: token)
            } catch {
                throw ConfigurationError(variable: "VIGIL_NOTIFY_REID_URL", problem: "must be an http(s) base URL")
            }
        case (nil, _):
            throw ConfigurationError(variable: "VIGIL_NOTIFY_REID_URL", problem: "is required with VIGIL_NOTIFY_REID_TOKEN")
        default:
            throw ConfigurationError(variable: "VIGIL_NOTIFY_REID_TOKEN", problem: "is required with VIGIL_NOTIFY_REID_URL")
        }
    }
}
