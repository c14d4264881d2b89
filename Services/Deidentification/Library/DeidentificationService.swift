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
public enum DeidentificationService: VigilService {
    public static let name = "deid"
    public static let defaultHTTPPort = 8082

    public static func services(context: ServiceContext) async throws -> [any Service] {
        let env = context.environment
        let keyring = try DeidKeyring.load { env.optionalString($0) }
        let policy =
            try env.optionalString("VIGIL_DEID_POLICY").map { path throws(DeidError) in try DeidPolicyLoader.load(path: path) }
            ?? DeidPolicyLoader.parse(SafeHarborPolicy.yaml, source: "built-in safe-harbor")
        let deidentifier = Deidentifier(policy: policy, keyring: keyring, scrubber: DeidScrubbing.make(policy: policy))
        let audit = AuditLog(pool: context.pool)
        _ = try await audit.append(
            actor: "service:deid", action: "deid.policy_loaded", subject: "policy:\(deidentifier.policyHash)",
            details: ["name": policy.name, "version": policy.version, "keyID": keyring.currentID])
        context.logger.info(
            "de-identification policy loaded",
            metadata: ["policy": "\(policy.name) \(policy.version)", "hash": "\(deidentifier.policyHash)", "key": "\(keyring.currentID)"])
        let runner = StageRunner(
            configuration: StageConfiguration(
                name: "deid",
                consumer: ConsumerConfiguration(
                    kafka: context.settings.kafka, groupID: "vigil-deid", topics: [Topics.identifiedEvents]),
                deadLetterTopic: Topics.identifiedDeadLetter),
            producer: context.producer,
            handler: DeidHandler(
                deidentifier: deidentifier, vault: PatientVault(pool: context.pool, keyring: keyring), audit: audit,
                logger: context.logger),
            logger: context.logger)
        return [runner]
    }
}
