import Foundation
import NIOHTTP1

/// What one attempt came to: an HTTP status or an error class. Never the response body.
struct AttemptOutcome: Sendable, Hashable {
    enum ErrorClass: String, Sendable, Hashable {
        /// The receiver answered with a status that is not 2xx.
        case httpStatus = "http_status"
        case timeout
        /// Could not connect, or the connection broke.
        case connection
        /// The URL is no longer allowed (e.g. https only); nothing was sent.
        case refusedURL = "refused_url"
    }

    enum Verdict: Sendable, Hashable {
        case delivered
        /// 410: the receiver wants no more; the subscription is disabled.
        case gone
        /// A client error that a retry would repeat.
        case rejected
        case retry
    }

    var httpStatus: Int?
    var errorClass: ErrorClass?
    var retryAfter: Duration?

    static func response(_ status: Int, retryAfter: Duration? = nil) -> AttemptOutcome {
        AttemptOutcome(
            httpStatus: status, errorClass: (200..<300).contains(status) ? nil : .httpStatus,
            retryAfter: retryAfter)
    }

    static func failed(_ errorClass: ErrorClass) -> AttemptOutcome {
        AttemptOutcome(httpStatus: nil, errorClass: errorClass, retryAfter: nil)
    }

    /// 2xx delivered; 410 gone; 408, 429 and 5xx retry; any other status (redirects are not followed) is
    /// rejected; timeouts and connection errors retry.
    var verdict: Verdict {
        guard let status = httpStatus else { return errorClass == .refusedURL ? .rejected : .retry }
        switch status {
        case 200..<300: return .delivered
        case 410: return .gone
        case 408, 429, 500...: return .retry
        default: return .rejected
        }
    }

    /// Retry-After in seconds or as an HTTP date; nil if absent or unreadable.
    static func retryAfter(_ headers: HTTPHeaders, now: Date = Date()) -> Duration? {
        guard let text = headers.first(name: "retry-after")?.trimmingCharacters(in: .whitespaces) else { return nil }
        if let seconds = Int(text), seconds >= 0 { return .seconds(seconds) }
        let format = DateFormatter()
        format.locale = Locale(identifier: "en_US_POSIX")
        format.timeZone = TimeZone(identifier: "GMT")
        format.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = format.date(from: text) else { return nil }
        return .milliseconds(max(0, Int64(date.timeIntervalSince(now) * 1000)))
    }
}
