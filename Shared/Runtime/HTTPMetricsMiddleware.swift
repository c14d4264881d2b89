import Hummingbird
import Metrics

/// Counts and times every request of a service's API: `vigil_<service>_http_requests_total{route,method,status}`
/// and `vigil_<service>_http_request_seconds{route,method}`. The route is the matched pattern
/// (`/api/alerts/{id}`), never the path, so ids and pseudonyms stay out of the labels.
public struct HTTPMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    private let requests: String
    private let seconds: String

    public init(service: String) {
        requests = "vigil_\(service)_http_requests_total"
        seconds = "vigil_\(service)_http_request_seconds"
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        let start = ContinuousClock.now
        let method = request.method.rawValue
        do {
            let response = try await next(request, context)
            record(context.endpointPath ?? "unmatched", method, Int(response.status.code), since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            record(context.endpointPath ?? "unmatched", method, Int(status), since: start)
            throw error
        }
    }

    private func record(_ route: String, _ method: String, _ status: Int, since start: ContinuousClock.Instant) {
        Counter(label: requests, dimensions: [("route", route), ("method", method), ("status", String(status))])
            .increment()
        Timer(label: seconds, dimensions: [("route", route), ("method", method)])
            .recordNanoseconds(Int64((ContinuousClock.now - start) / .nanoseconds(1)))
    }
}
