import AsyncHTTPClient
import Foundation
import NIOCore

/// Notify's side of the identity reveal (design §7 "No PHI in notify"): it asks deid's `POST /reid/grants`, with
/// its own `grant` principal, for a short-lived grant that lets one clinician reveal one patient. The identity
/// itself then flows deid → browser only; notify sees the grant token (which holds no PHI) and never logs it.
public struct ReidGrantClient: Sendable {
    /// deid's reid base URL (`VIGIL_NOTIFY_REID_URL`), without a trailing slash.
    public let baseURL: String
    /// `scheme://host[:port]` of `baseURL`: the page's CSP `connect-src`.
    public let origin: String
    let token: String
    /// For the whole call, connect to body; the clinician is waiting.
    public let timeout: Duration
    /// How long a grant lasts.
    public static let ttlSeconds = 300

    public struct Failure: Error, CustomStringConvertible {
        public enum Code: Sendable { case invalidURL, refused, unavailable }
        public var code: Code
        public var description: String
    }

    public struct Grant: Sendable {
        public var token: String
        public var expires: String
    }

    public init(baseURL: String, token: String, timeout: Duration = .seconds(3)) throws(Failure) {
        let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        guard let url = URL(string: base), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.query == nil, !token.isEmpty
        else { throw Failure(code: .invalidURL, description: "VIGIL_NOTIFY_REID_URL must be an http(s) base URL") }
        self.baseURL = base
        origin = "\(scheme)://\(host.lowercased())" + (url.port.map { ":\($0)" } ?? "")
        self.token = token
        self.timeout = timeout
    }

    /// A grant for `grantee` to reveal `pseudonym` for `ttlSeconds`, for `reason`.
    public func grant(pseudonym: String, grantee: String, reason: String) async throws(Failure) -> Grant {
        var request = HTTPClientRequest(url: baseURL + "/reid/grants")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Content-Type", value: "application/json")
        let body: [String: Any] = [
            "pseudonym": pseudonym, "grantee": grantee, "reason": reason, "ttlSeconds": Self.ttlSeconds,
        ]
        guard let json = try? JSONSerialization.data(withJSONObject: body) else {
            throw Failure(code: .refused, description: "grant request not encodable")
        }
        request.body = .bytes(ByteBuffer(bytes: json))
        let reply: (status: UInt, body: ByteBuffer)
        let prepared = request
        do {
            reply = try await withDeadline(timeout) {
                let response = try await HTTPClient.shared.execute(prepared, timeout: TimeAmount(timeout))
                return (response.status.code, try await response.body.collect(upTo: 16 * 1024))
            }
        } catch {
            throw Failure(code: .unavailable, description: "deid grants unreachable (\(type(of: error)))")
        }
        guard reply.status == 201,
            let object = try? JSONSerialization.jsonObject(with: Data(reply.body.readableBytesView)) as? [String: Any],
            let token = object["token"] as? String, !token.isEmpty
        else { throw Failure(code: .refused, description: "deid refused the grant (HTTP \(reply.status))") }
        return Grant(token: token, expires: object["expires"] as? String ?? "")
    }

    /// `body`, or a timeout error when it takes longer than `limit` (the client's own timeout covers only the head).
    private func withDeadline<T: Sendable>(
        _ limit: Duration, _ body: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask { try await body() }
            group.addTask {
                try await Task.sleep(for: limit)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let value = first else { throw HTTPClientError.deadlineExceeded }
            return value
        }
    }
}
