import AsyncHTTPClient
import Foundation
import NIOHTTP1

/// Why a chat-completions call gave no narrative. The description holds codes, statuses and error type
/// names only: never the prompt, the response body or the key.
public struct ChatCompletionsError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: String, Hashable, Sendable {
        case timeout
        case httpStatus = "http_status"
        case malformedBody = "malformed_body"
        case transport
        /// Our own task was cancelled (shutdown); says nothing about the endpoint.
        case cancelled
    }

    public var code: Code
    public var status: Int?
    /// From a 429's `retry-after-ms` or `Retry-After` header.
    public var retryAfter: Duration?
    /// A fixed phrase or an error type name.
    public var detail: String?

    public init(_ code: Code, status: Int? = nil, retryAfter: Duration? = nil, detail: String? = nil) {
        self.code = code
        self.status = status
        self.retryAfter = retryAfter
        self.detail = detail
    }

    /// Maps errors from the HTTP client and the task group; the underlying text is dropped because
    /// some of it (header values, addresses) is not ours to log.
    init(classifying error: any Error) {
        let timeouts: [HTTPClientError] = [
            .deadlineExceeded, .readTimeout, .writeTimeout, .connectTimeout, .tlsHandshakeTimeout,
            .getConnectionFromPoolTimeout,
        ]
        switch error {
        case let error as HTTPClientError where timeouts.contains(error): self.init(.timeout)
        case let error as HTTPClientError where error == .cancelled: self.init(.cancelled)
        case is CancellationError: self.init(.cancelled)
        default: self.init(.transport, detail: String(describing: type(of: error)))
        }
    }

    public var description: String {
        var text = "ChatCompletionsError.\(code.rawValue)"
        if let status { text += " status=\(status)" }
        if let retryAfter { text += " retryAfter=\(retryAfter)" }
        if let detail { text += ": \(detail)" }
        return text
    }
}

/// How long a 429 asks us to wait: Azure's `retry-after-ms`, else `Retry-After` in seconds or as an
/// HTTP date. Capped at an hour so one bad header cannot silence the adapter for days.
enum RetryAfter {
    static let maximum = Duration.seconds(3600)

    static func parse(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        if let text = headers.first(name: "retry-after-ms"), let ms = Int(text.trimmingCharacters(in: .whitespaces)),
            ms >= 0
        {
            return min(.milliseconds(ms), maximum)
        }
        guard let text = headers.first(name: "retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Int(text), seconds >= 0 { return min(.seconds(seconds), maximum) }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = format.date(from: text) else { return nil }
        return min(.milliseconds(max(0, Int64(date.timeIntervalSince(now) * 1000))), maximum)
    }
}
