import Hummingbird
import ServiceLifecycle
import VigilAudit
import VigilKafka
import VigilModelCore
import VigilRuntime

/// `vigil-deid`: the PHI boundary: identified events become pseudonymous, de-identified events.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `VIGIL_DEID_KEYRING_FILE` / `VIGIL_DEID_KEYRING` | — (required) | keyring JSON (file mode 0600) |
/// | `VIGIL_DEID_POLICY` | built-in Safe Harbor | policy YAML; an invalid one stops start-up naming the rule |
/// | `VIGIL_DEID_REID_PRINCIPALS` | — (no re-identification endpoint) | JSON list of principals allowed to re-identify |
/// | `VIGIL_DEID_REID_HOST` / `VIGIL_DEID_REID_PORT` | `127.0.0.1` / `8092` | re-identification endpoint |
/// | `VIGIL_DEID_REID_RATE` | `30` | reveals per principal per minute |
/// | `VIGIL_DEID_REID_ALLOWED_ORIGINS` | — (no CORS) | comma list of browser origins allowed to call `/reid/reveal` |
public enum DeidentificationService: VigilService {
    public static let name = "deid"
    public static let defaultHTTPPort = 8082

    public static func services(context: ServiceContext) async throws -> [any Service] {
        let env = context.environment
        let keyring = try DeidKeyring.load { env.optionalString($0) }
        let policy =
            try env.optionalString("VIGIL_DEID_POLICY").map { path throws(DeidError) in try DeidPolicyLoader.load(path: path) }
            ?? DeidPolicyLoader.parse(SafeHarborPolicy.yaml, source: "built-in safe-harbor")
        let deidentifier = Deidentifier(policy: policy, keyring: keyring, scrubber: DeidScrubbingFactory.make(policy: policy))
        let audit = AuditLog(pool: context.pool)
        _ = try await audit.append(
            actor: "service:deid", action: "deid.policy_loaded", subject: "policy:\(deidentifier.policyHash)",
            details: ["name": policy.name, "version": policy.version, "keyID": keyring.currentID])
        context.logger.info(
            "de-identification policy loaded",
            metadata: ["policy": "\(policy.name) \(policy.version)", "hash": "\(deidentifier.policyHash)", "key": "\(keyring.currentID)"])
        let vault = PatientVault(pool: context.pool, keyring: keyring)
        var services: [any Service] = []
        if let path = env.optionalString("VIGIL_DEID_REID_PRINCIPALS") {
            let endpoint = ReidEndpoint(
                vault: vault, principals: try ReidPrincipals.load(path: path), audit: audit,
                limiter: ReidRateLimiter(perMinute: try env.int("VIGIL_DEID_REID_RATE", default: 30, range: 1...10_000)),
                cors: try ReidCORS.parse(env.string("VIGIL_DEID_REID_ALLOWED_ORIGINS", default: "")),
                logger: context.logger)
            services.append(
                Application(
                    router: endpoint.router(),
                    configuration: .init(
                        address: .hostname(
                            env.string("VIGIL_DEID_REID_HOST", default: "127.0.0.1"),
                            port: try env.int("VIGIL_DEID_REID_PORT", default: 8092, range: 0...65535)),
                        serverName: "vigil-deid"),
                    logger: context.logger))
        }
        let runner = StageRunner(
            configuration: StageConfiguration(
                name: "deid",
                consumer: ConsumerConfiguration(
                    kafka: context.settings.kafka, groupID: "vigil-deid", topics: [Topics.identifiedEvents]),
                deadLetterTopic: Topics.identifiedDeadLetter),
            producer: context.producer,
            handler: DeidHandler(
                deidentifier: deidentifier, vault: vault, audit: audit, logger: context.logger),
            logger: context.logger)
        return services + [runner]
    }
}
