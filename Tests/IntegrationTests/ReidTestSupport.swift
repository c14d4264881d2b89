import Crypto
import Deidentification
import Foundation
import Hummingbird
import NIOPosix
import ServiceLifecycle
import VigilAudit
import VigilModelCore
import VigilPHI
import VigilRuntime

/// deid's `ReidEndpoint` on a kernel-chosen port, over a vault that knows one canary patient, for the reveal
/// tests; principal `notify` (token `t-notify-grant`) holds the `grant` role, as notify's own does in production,
/// and `operator` (token `t-operator-reid`) the `reidentify` role, as a CLI user would.
struct ReidTestServer {
    static let keyring = try! DeidKeyring(current: "k1", keys: ["k1": Array(repeating: 8, count: 32)])
    static let canaryFamily = "Canaryfield"
    static let canaryMRN = "MRN-CANARY-7731"
    static let grantToken = "t-notify-grant"
    static let operatorToken = "t-operator-reid"

    static let principals = ReidPrincipals([
        .init(id: "notify", tokenSHA256: Hex.encode(SHA256.hash(data: Data(grantToken.utf8))), roles: ["grant"]),
        .init(id: "operator", tokenSHA256: Hex.encode(SHA256.hash(data: Data(operatorToken.utf8))), roles: ["reidentify"]),
    ])

    /// Stores the canary patient in the vault; returns its pseudonym.
    static func seed(_ database: TestDatabase) async throws -> Pseudonym {
        let vault = PatientVault(pool: database.pool, keyring: keyring)
        let patient = IdentifiedPatient(
            assigningAuthority: "HOSP", patientID: canaryMRN, names: [PersonName(family: canaryFamily, given: ["Ada"])])
        return try await vault.context(for: patient) { -9 }.pseudonym
    }

    /// Runs the endpoint (CORS for `origins`) around `body`, which gets its port.
    static func run(
        _ database: TestDatabase, port fixedPort: Int = 0, origins: Set<String> = [],
        _ body: (Int) async throws -> Void
    ) async throws {
        let endpoint = ReidEndpoint(
            vault: PatientVault(pool: database.pool, keyring: keyring), principals: principals,
            audit: AuditLog(pool: database.pool), limiter: ReidRateLimiter(perMinute: 30),
            cors: ReidCORS(allowedOrigins: origins), logger: TestKafka.logger)
        let port = PortBox()
        let app = Application(
            router: endpoint.router(), configuration: .init(address: .hostname("127.0.0.1", port: fixedPort)),
            onServerRunning: { port.set($0.localAddress?.port ?? 0) }, logger: TestKafka.logger)
        let group = ServiceGroup(services: [app], logger: TestKafka.logger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            while port.value == 0 { try await Task.sleep(for: .milliseconds(10)) }
            do {
                try await body(port.value)
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }

    /// A port that was free a moment ago: for the one test where two servers must know each other's address.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        try await channel.close().get()
        return port
    }
}
