import ServiceLifecycle
import VigilRuntime

/// `vigil-deid`: the PHI boundary: identified events become pseudonymous, de-identified events.
///
/// Scaffold from the Foundation issue: it connects, creates its topics and serves /health, /ready and
/// /metrics; its processing loops arrive with the service's own issue.
public enum DeidentificationService: VigilService {
    public static let name = "deid"
    public static let defaultHTTPPort = 8082

    public static func services(context: ServiceContext) async throws -> [any Service] {
        []
    }
}
