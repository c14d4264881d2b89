import ServiceLifecycle
import VigilRuntime

/// `vigil-ingest`: HL7 v2 over MLLP, FHIR R4 over HTTP and inbound topics become canonical events.
///
/// Scaffold from the Foundation issue: it connects, creates its topics and serves /health, /ready and
/// /metrics; its processing loops arrive with the service's own issue.
public enum IngestionService: VigilService {
    public static let name = "ingest"
    public static let defaultHTTPPort = 8081

    public static func services(context: ServiceContext) async throws -> [any Service] {
        []
    }
}
