import ServiceLifecycle
import VigilRuntime

/// `vigil-infer`: patient state, early-warning scores and models turn events into risk records.
///
/// Scaffold from the Foundation issue: it connects, creates its topics and serves /health, /ready and
/// /metrics; its processing loops arrive with the service's own issue.
public enum InferenceService: VigilService {
    public static let name = "infer"
    public static let defaultHTTPPort = 8083

    public static func services(context: ServiceContext) async throws -> [any Service] {
        []
    }
}
