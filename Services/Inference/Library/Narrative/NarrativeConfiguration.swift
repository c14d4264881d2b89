import Foundation
import VigilRuntime

/// The optional narrative adapter's settings. Without `VIGIL_NARRATIVE_ENDPOINT` the adapter is off.
///
/// | variable | default | meaning |
/// |---|---|---|
/// | `VIGIL_NARRATIVE_ENDPOINT` | (off) | `https://<resource>.openai.azure.com`, `…services.ai.azure.com` |
/// | `VIGIL_NARRATIVE_STYLE` | `azure-openai` | `azure-openai` (deployment in path), `foundry` (model in body) |
/// | `VIGIL_NARRATIVE_DEPLOYMENT` | (required) | deployment or model name |
/// | `VIGIL_NARRATIVE_API_VERSION` | `2024-10-21` | `api-version` query parameter |
/// | `VIGIL_NARRATIVE_API_KEY` / `_API_KEY_FILE` | (one required) | sent as the `api-key` header |
/// | `VIGIL_NARRATIVE_TIMEOUT_MS` | `3000` | whole-call deadline |
/// | `VIGIL_NARRATIVE_CALLS_PER_HOUR` | `120` | calls in any rolling hour |
/// | `VIGIL_NARRATIVE_BREAKER_FAILURES` | `5` | consecutive failures that open the circuit |
/// | `VIGIL_NARRATIVE_BREAKER_COOLDOWN_MS` | `60000` | how long an open circuit stays open |
/// | `VIGIL_NARRATIVE_MAX_TOKENS` | `200` | `max_tokens` of the request |
public struct NarrativeConfiguration: Sendable, CustomStringConvertible {
    public enum Style: String, Sendable, CaseIterable {
        case azureOpenAI = "azure-openai"
        case foundry
    }

    /// Scheme and host (and optional path prefix), without a trailing slash.
    public var endpoint: String
    public var style: Style
    public var deployment: String
    public var apiVersion: String
    public var apiKey: APIKey
    public var timeout: Duration
    public var callsPerHour: Int
    public var breakerFailures: Int
    public var breakerCoolDown: Duration
    public var maxTokens: Int

    /// The settings from `environment`, or nil when `VIGIL_NARRATIVE_ENDPOINT` is unset (adapter off).
    /// - Throws: `ConfigurationError` naming the variable; never containing the key.
    public init?(environment: [String: String]) throws {
        let env = EnvironmentReader(environment)
        guard let endpoint = env.optionalString("VIGIL_NARRATIVE_ENDPOINT") else { return nil }
        self.endpoint = try Self.checkedEndpoint(endpoint)
        style = try env.choice("VIGIL_NARRATIVE_STYLE", default: Style.azureOpenAI)
        deployment = try Self.token("VIGIL_NARRATIVE_DEPLOYMENT", try env.required("VIGIL_NARRATIVE_DEPLOYMENT"))
        apiVersion = try Self.token(
            "VIGIL_NARRATIVE_API_VERSION", env.string("VIGIL_NARRATIVE_API_VERSION", default: "2024-10-21"))
        apiKey = try APIKey(env)
        timeout = .milliseconds(try env.int("VIGIL_NARRATIVE_TIMEOUT_MS", default: 3000, range: 10...60_000))
        callsPerHour = try env.int("VIGIL_NARRATIVE_CALLS_PER_HOUR", default: 120, range: 0...1_000_000)
        breakerFailures = try env.int("VIGIL_NARRATIVE_BREAKER_FAILURES", default: 5, range: 1...1000)
        breakerCoolDown = .milliseconds(
            try env.int("VIGIL_NARRATIVE_BREAKER_COOLDOWN_MS", default: 60_000, range: 0...86_400_000))
        maxTokens = try env.int("VIGIL_NARRATIVE_MAX_TOKENS", default: 200, range: 16...4096)
    }

    /// Where the request goes; the key travels in a header, never in the URL.
    public var requestURL: String {
        switch style {
        case .azureOpenAI: "\(endpoint)/openai/deployments/\(deployment)/chat/completions?api-version=\(apiVersion)"
        case .foundry: "\(endpoint)/models/chat/completions?api-version=\(apiVersion)"
        }
    }

    public var description: String {
        "NarrativeConfiguration(url: \(requestURL), style: \(style.rawValue), apiKey: \(apiKey), timeout: \(timeout), "
            + "callsPerHour: \(callsPerHour), breaker: \(breakerFailures) failures/\(breakerCoolDown))"
    }

    /// https, or plain http only to this machine: the key must not cross a network in clear text.
    static func checkedEndpoint(_ text: String) throws -> String {
        let name = "VIGIL_NARRATIVE_ENDPOINT"
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
            url.query == nil, url.fragment == nil, url.user == nil
        else {
            throw ConfigurationError(variable: name, problem: "must be an http(s) URL without query or credentials")
        }
        let loopback = ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased())
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw ConfigurationError(variable: name, problem: "must use https (http only for localhost)")
        }
        var trimmed = text
        while trimmed.hasSuffix("/") { trimmed.removeLast() }
        return trimmed
    }

    /// Values that go into the URL: letters, digits, `.`, `_`, `-` only.
    static func token(_ name: String, _ value: String) throws -> String {
        let allowed = value.utf8.allSatisfy {
            (48...57).contains($0) || (65...90).contains($0) || (97...122).contains($0) || [45, 46, 95].contains($0)
        }
        guard allowed, value.utf8.count <= 128 else {
            throw ConfigurationError(variable: name, problem: "may contain only letters, digits, '.', '_' and '-'")
        }
        return value
    }
}

/// The endpoint's key. Prints as `<redacted>` everywhere so it cannot reach a log line or an error.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let value: String

    public init(_ value: String) { self.value = value }

    /// From `VIGIL_NARRATIVE_API_KEY` or the file named by `VIGIL_NARRATIVE_API_KEY_FILE` (exactly one).
    init(_ env: EnvironmentReader) throws {
        let inline = env.optionalString("VIGIL_NARRATIVE_API_KEY")
        let path = env.optionalString("VIGIL_NARRATIVE_API_KEY_FILE")
        switch (inline, path) {
        case (let key?, nil):
            value = key.trimmingCharacters(in: .whitespacesAndNewlines)
        case (nil, let path?):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw ConfigurationError(variable: "VIGIL_NARRATIVE_API_KEY_FILE", problem: "cannot read \(path)")
            }
            value = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        case (.some, .some):
            throw ConfigurationError(
                variable: "VIGIL_NARRATIVE_API_KEY", problem: "and VIGIL_NARRATIVE_API_KEY_FILE are both set; set one")
        case (nil, nil):
            throw ConfigurationError(
                variable: "VIGIL_NARRATIVE_API_KEY",
                problem: "or VIGIL_NARRATIVE_API_KEY_FILE is required with an endpoint")
        }
        guard !value.isEmpty, value.unicodeScalars.allSatisfy({ $0.value > 32 && $0.value < 127 }) else {
            throw ConfigurationError(
                variable: path == nil ? "VIGIL_NARRATIVE_API_KEY" : "VIGIL_NARRATIVE_API_KEY_FILE",
                problem: "must hold a non-empty key of printable ASCII characters")
        }
    }

    public var description: String { "<redacted>" }
    public var debugDescription: String { "<redacted>" }
    public var customMirror: Mirror { Mirror(self, children: [:]) }
}
