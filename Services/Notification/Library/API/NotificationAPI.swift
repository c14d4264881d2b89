import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import VigilAudit
import VigilRuntime

/// The notify HTTP API (`/api/*`, bearer tokens) and the oversight page (`/oversight`, session cookies) on
/// their own port (design §6, §7), apart from the unauthenticated operations port.
public struct NotificationAPI: Sendable {
    public struct Configuration: Sendable {
        /// `VIGIL_NOTIFY_API_HOST`, default `127.0.0.1`.
        public var host: String
        /// `VIGIL_NOTIFY_API_PORT`, default 8094; 0 lets the kernel pick (tests).
        public var port: Int
        /// `VIGIL_NOTIFY_COOKIE_SECURE`, default true; false only for plain-HTTP tests.
        public var cookieSecure: Bool
        /// `VIGIL_NOTIFY_MODEL_CARDS`: `<dir>/<model id>/<version>.md`, whose "Limitations" section the page shows.
        public var modelCards: String?
        /// `VIGIL_NOTIFY_REID_URL` and `VIGIL_NOTIFY_REID_TOKEN`: deid's grants for the identity reveal; nil (the
        /// default) shows no "Reveal identity" form.
        public var reid: ReidGrantClient?

        public init(
            host: String = "127.0.0.1", port: Int = 8094, cookieSecure: Bool = true, modelCards: String? = nil,
            reid: ReidGrantClient? = nil
        ) {
            self.host = host
            self.port = port
            self.cookieSecure = cookieSecure
            self.modelCards = modelCards
            self.reid = reid
        }
    }

    let store: AlertStore
    /// Nil when no sealing key is configured: the subscription routes then answer 503.
    let subscriptions: SubscriptionStore?
    let principals: NotifyPrincipals
    let configuration: Configuration
    let audit: AuditLog
    let denials: DenialAudit
    let sessions: SessionStore
    let pages: OversightPages
    let logger: Logger

    public init(
        store: AlertStore, principals: NotifyPrincipals, configuration: Configuration = Configuration(),
        subscriptions: SubscriptionStore? = nil, logger: Logger
    ) throws {
        self.store = store
        self.subscriptions = subscriptions
        self.principals = principals
        self.configuration = configuration
        audit = AuditLog(pool: store.pool)
        denials = DenialAudit(audit: audit)
        sessions = SessionStore(pool: store.pool)
        pages = try OversightPages()
        self.logger = logger
    }

    public func router() -> Router<NotifyContext> {
        let router = Router(context: NotifyContext.self)
        router.add(middleware: HTTPMetricsMiddleware(service: "notify"))
        addAlertRoutes(to: router)
        addModelRoutes(to: router)
        addPolicyRoutes(to: router)
        addSubscriptionRoutes(to: router)
        addOversightRoutes(to: router)
        return router
    }

    /// The server, with the once-a-minute summary of suppressed anonymous denials as its own service.
    public func application(onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in })
        -> some ApplicationProtocol
    {
        Application(
            router: router(),
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.port), serverName: "vigil-notify"),
            services: [DenialSummaryService(denials: denials)],
            onServerRunning: { await onServerRunning($0.localAddress?.port ?? 0) }, logger: logger)
    }
}

/// The request context: Hummingbird's, plus the peer address that anonymous denials are counted by.
public struct NotifyContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public let peer: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

struct DenialSummaryService: Service {
    let denials: DenialAudit

    func run() async throws {
        while !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(60)) }
            await denials.flush()
        }
    }
}
