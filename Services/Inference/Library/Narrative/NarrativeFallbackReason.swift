/// Why a narrative is the fallback text; the `fallbackReason` of a `RiskNarrative` and a metrics label.
public enum NarrativeFallbackReason: String, Hashable, Sendable, CaseIterable {
    /// No endpoint configured.
    case disabled
    /// The hourly call budget is spent.
    case budget
    case circuitOpen = "circuit_open"
    case timeout
    case http429 = "http_429"
    /// Other 4xx: a wrong key, deployment or api-version, or a rejected prompt.
    case http4xx = "http_4xx"
    case http5xx = "http_5xx"
    case malformed
    /// Connection failures, other statuses, and calls cut short by our own shutdown.
    case transport

    public init(_ error: ChatCompletionsError) {
        switch error.code {
        case .timeout: self = .timeout
        case .malformedBody: self = .malformed
        case .transport, .cancelled: self = .transport
        case .httpStatus:
            switch error.status ?? 0 {
            case 429: self = .http429
            case 500...599: self = .http5xx
            case 400...499: self = .http4xx
            default: self = .transport
            }
        }
    }
}
