import Foundation
import Hummingbird
import NIOCore

/// RFC 9457 problem documents (`application/problem+json`): `type`, `title`, `status`, `detail`, plus extension
/// members (e.g. the current alert with a 409). Details name what was wrong, never patient data.
public struct Problem: Error, Sendable {
    public var status: Int
    public var detail: String
    /// Extension members (JSON values).
    var extra: JSONObject

    init(_ status: Int, _ detail: String, extra: [String: Any] = [:]) {
        self.status = status
        self.detail = detail
        self.extra = JSONObject(value: extra)
    }

    static let types: [Int: String] = [
        400: "bad-request", 401: "unauthenticated", 403: "forbidden", 404: "not-found", 409: "conflict",
        422: "invalid-action", 500: "internal", 503: "unavailable",
    ]

    public var response: Response {
        var body = extra.value
        body["type"] = "urn:vigil:notify:problem:" + (Self.types[status] ?? "error")
        body["title"] = HTTPResponse.Status(code: status).reasonPhrase
        body["status"] = status
        body["detail"] = detail
        var response = JSONBody.response(status, body)
        response.headers[.contentType] = "application/problem+json"
        if status == 401 { response.headers[.wwwAuthenticate] = "Bearer realm=\"vigil-notify\"" }
        return response
    }
}

/// A JSON object built from `JSONSerialization` value types, never mutated after creation: safe to send.
struct JSONObject: @unchecked Sendable {
    let value: [String: Any]
}

enum JSONBody {
    static func response(_ status: Int, _ object: Any, headers: HTTPFields = [:]) -> Response {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        var fields = headers
        fields[.contentType] = "application/json"
        fields[.cacheControl] = "no-store"
        return Response(status: .init(code: status), headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// A JSON object body of at most `limit` bytes (64 KiB); nil for anything else. An empty body reads as `{}`.
    static func object(_ request: Request, limit: Int = 64 * 1024) async -> [String: Any]? {
        guard let buffer = try? await request.body.collect(upTo: limit) else { return nil }
        if buffer.readableBytes == 0 { return [:] }
        return (try? JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))) as? [String: Any]
    }
}
