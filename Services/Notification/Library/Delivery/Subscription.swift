import Foundation
import VigilModelCore

/// A webhook subscription as listed: never with its secret.
public struct Subscription: Sendable, Hashable {
    public enum Status: String, Sendable, Hashable, Codable {
        case active, disabled
    }

    public var id: UUID
    public var name: String
    public var url: String
    public var filter: SubscriptionFilter
    public var owner: String
    public var status: Status
    public var consecutiveFailures: Int
    public var breakerOpenUntil: Date?
    /// Until when the secret replaced by the last rotation still signs (nil: no rotation in progress).
    public var previousSecretValidUntil: Date?
    public var createdBy: String
    public var createdAt: Date
}

/// A new subscription and its secret, which is shown this once.
public struct NewSubscription: Sendable {
    public var subscription: Subscription
    public var secret: WebhookSecret
}

/// Which alert events a subscription receives. An empty list matches everything.
public struct SubscriptionFilter: Sendable, Hashable, Codable {
    public var severities: [AlertEvent.Severity]
    public var rules: [String]
    public var actions: [AlertEvent.Action]

    public init(severities: [AlertEvent.Severity] = [], rules: [String] = [], actions: [AlertEvent.Action] = []) {
        self.severities = severities
        self.rules = rules
        self.actions = actions
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        severities = try container.decodeIfPresent([AlertEvent.Severity].self, forKey: .severities) ?? []
        rules = try container.decodeIfPresent([String].self, forKey: .rules) ?? []
        actions = try container.decodeIfPresent([AlertEvent.Action].self, forKey: .actions) ?? []
    }

    /// The same test the enqueue SQL makes, for callers that hold an event in memory.
    public func matches(severity: AlertEvent.Severity, rule: String, action: AlertEvent.Action) -> Bool {
        (severities.isEmpty || severities.contains(severity)) && (rules.isEmpty || rules.contains(rule))
            && (actions.isEmpty || actions.contains(action))
    }

    var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// Where webhooks may go: https only, or plain http to loopback when allowed (dev and tests).
public enum WebhookURLPolicy {
    static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "::1", "[::1]"]

    public static func check(_ url: String, allowInsecureLoopback: Bool) throws(WebhookError) {
        guard let parsed = URL(string: url), let host = parsed.host, !host.isEmpty else {
            throw WebhookError(.invalidURL, "not an absolute URL")
        }
        switch parsed.scheme?.lowercased() {
        case "https": return
        case "http" where allowInsecureLoopback && loopbackHosts.contains(host.lowercased()): return
        default: throw WebhookError(.invalidURL, "webhook URLs must use https")
        }
    }
}
