import Foundation
import Hummingbird
import Logging
import Prometheus

/// The operations endpoints every service serves: `/health` (alive), `/ready` (dependencies up,
/// 503 otherwise, with the failing checks named), `/metrics` (Prometheus text format 0.0.4).
public enum OperationsServer {
    public static func router(readiness: Readiness, registry: PrometheusCollectorRegistry, service: String) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/health") { _, _ in
            jsonResponse(.ok, ["status": "ok", "service": service])
        }
        router.get("/ready") { _, _ in
            let checks = readiness.snapshot.mapValues { $0 ? "ok" : "waiting" }
            return jsonResponse(readiness.isReady ? .ok : .serviceUnavailable, ["service": service, "checks": checks])
        }
        router.get("/metrics") { _, _ in
            ProcessMetrics.update(readiness: readiness)
            var buffer = ByteBuffer()
            buffer.writeBytes(registry.emitToBuffer())
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: buffer))
        }
        return router
    }

    public static func application(
        router: Router<BasicRequestContext>, host: String, port: Int, logger: Logger
    ) -> some ApplicationProtocol {
        Application(router: router, configuration: .init(address: .hostname(host, port: port)), logger: logger)
    }

    static func jsonResponse(_ status: HTTPResponse.Status, _ body: [String: any Sendable]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? Data()
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
