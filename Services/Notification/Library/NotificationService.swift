import ServiceLifecycle
import VigilRuntime

/// `vigil-notify`: risk records become alerts, webhooks and the oversight page.
///
/// Scaffold from the Foundation issue: it connects, creates its topics and serves /health, /ready and
/// /metrics; its processing loops arrive with the service's own issue.
public enum NotificationService: VigilService {
    public static let name = "notify"
    public static let defaultHTTPPort = 8084

    public static func services(context: ServiceContext) async throws -> [any Service] {
        []
    }
}
