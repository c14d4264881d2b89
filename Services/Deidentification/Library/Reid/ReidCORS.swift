import Foundation
import Hummingbird

/// CORS for `POST /reid/reveal` from an allow-list of origins (`VIGIL_DEID_REID_ALLOWED_ORIGINS`), so the
/// oversight page's script can reveal an identity straight from deid and notify never sees it. Never `*`: only
/// an origin on the list is echoed back. Empty list (the default): no CORS headers at all.
public struct ReidCORS: Sendable, Hashable {
    public let allowedOrigins: Set<String>
    /// How long a browser may cache the preflight.
    public static let maxAgeSeconds = 600

    public init(allowedOrigins: Set<String> = []) {
        self.allowedOrigins = allowedOrigins
    }

    public struct InvalidOrigin: Error, CustomStringConvertible {
        public var description: String
    }

    /// A comma list of `scheme://host[:port]` origins; `*`, paths and other schemes are refused.
    public static func parse(_ list: String) throws -> ReidCORS {
        var origins: Set<String> = []
        for item in list.split(separator: ",") {
            let origin = item.trimmingCharacters(in: .whitespaces).lowercased()
            guard !origin.isEmpty else { continue }
            guard origin.hasPrefix("http://") || origin.hasPrefix("https://"),
                let separator = origin.range(of: "://"), case let host = origin[separator.upperBound...],
                !host.isEmpty, !host.contains("/"), !host.contains("*")
            else {
                throw InvalidOrigin(
                    description: "VIGIL_DEID_REID_ALLOWED_ORIGINS: '\(origin)' is not an origin like https://host:port")
            }
            origins.insert(origin)
        }
        return ReidCORS(allowedOrigins: origins)
    }

    /// The request's `Origin` when it is on the list.
    func allowed(_ request: Request) -> String? {
        guard let origin = request.headers[.origin]?.lowercased(), allowedOrigins.contains(origin) else { return nil }
        return origin
    }

    /// Adds `Access-Control-Allow-Origin` and `Vary: Origin` for an allowed origin; others get nothing.
    func decorate(_ response: Response, for request: Request) -> Response {
        guard let origin = allowed(request) else { return response }
        var response = response
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.vary] = "Origin"
        return response
    }

    /// The `OPTIONS` preflight: 204 with the allowed method and headers for a listed origin, 403 otherwise.
    func preflight(_ request: Request) -> Response {
        guard allowed(request) != nil else { return Response(status: .forbidden) }
        let response = Response(
            status: .noContent,
            headers: [
                .accessControlAllowMethods: "POST",
                .accessControlAllowHeaders: "Authorization, Content-Type",
                .accessControlMaxAge: String(Self.maxAgeSeconds),
            ])
        return decorate(response, for: request)
    }
}
