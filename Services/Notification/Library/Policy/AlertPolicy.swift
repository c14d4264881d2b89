import Foundation
import VigilModelCore

/// The alert policy (`config/notify/alert-policy.yaml`): which risk records open alert episodes, at what
/// severity, who is told and when it escalates. Loaded and validated by `AlertPolicyLoader`; identified by the
/// SHA-256 of its canonical form, which is stamped on every decision, episode and alert event.
public struct AlertPolicy: Hashable, Sendable, Codable {
    public typealias Severity = AlertEvent.Severity

    public struct Defaults: Hashable, Sendable, Codable {
        /// Older records (replays, backlog) are decided but never page.
        public var maxRecordAge: PolicyDuration
        /// A record whose newest input is older than this is suppressed as stale.
        public var staleInputs: PolicyDuration
        /// A live episode with no record for this long resolves as expired.
        public var expireAfter: PolicyDuration
        public var remind: Remind
        public var snooze: Snooze
        /// After an override the same condition does not page again unless severity rises.
        public var overrideHold: PolicyDuration
        /// How long a corrected basis waits for the recomputed score before the episode is retracted.
        public var correctionGrace: PolicyDuration
    }

    /// Quiet re-alerting of an unacknowledged episode: `first`, then each interval × `factor`, capped at `max`.
    public struct Remind: Hashable, Sendable, Codable {
        public var first: PolicyDuration
        public var factor: Double
        public var max: PolicyDuration
    }

    public struct Snooze: Hashable, Sendable, Codable {
        public var max: PolicyDuration
        public var allowedFor: [Severity]
    }

    /// First match by unit code glob picks the ladder; the last route holds `*`.
    public struct Route: Hashable, Sendable, Codable {
        public var units: [String]
        public var ladder: String
    }

    public struct LadderStep: Hashable, Sendable, Codable {
        /// Time since the ladder started (the raise or the last severity rise).
        public var after: PolicyDuration
        public var targets: [String]
        public var raiseSeverityTo: Severity?
    }

    public struct ModelMatch: Hashable, Sendable, Codable {
        public var id: String
        /// Globs over the model version, e.g. `1.*`.
        public var versions: [String]

        public func matches(_ model: ModelReference) -> Bool {
            model.id == id && versions.contains { Glob.matches($0, model.version) }
        }
    }

    /// Hysteresis: an episode resolves only after every record stayed below `below` for `for`.
    public struct Clear: Hashable, Sendable, Codable {
        public var below: Double
        public var `for`: PolicyDuration
    }

    public struct Threshold: Hashable, Sendable, Codable {
        public var gte: Double?
        public var gt: Double?
        public var lte: Double?
        public var lt: Double?

        /// Every bound that is set holds.
        public func holds(_ value: Double) -> Bool {
            (gte.map { value >= $0 } ?? true) && (gt.map { value > $0 } ?? true)
                && (lte.map { value <= $0 } ?? true) && (lt.map { value < $0 } ?? true)
        }
    }

    /// Both parts that are set must hold; `anyPart` covers NEWS2's single parameter scoring 3.
    public struct When: Hashable, Sendable, Codable {
        public var score: Threshold?
        public var anyPart: Threshold?
    }

    public struct Rule: Hashable, Sendable, Codable {
        public var id: String
        public var when: When
        public var severity: Severity
        /// Overrides the route's ladder; `none` means the alert is raised to the route's first step and never
        /// escalates.
        public var ladder: String?

        public func matches(_ record: RiskRecord) -> Bool {
            (when.score.map { $0.holds(record.value) } ?? true)
                && (when.anyPart.map { bound in record.parts.values.contains { bound.holds($0) } } ?? true)
        }
    }

    public struct Condition: Hashable, Sendable, Codable {
        public var id: String
        public var models: [ModelMatch]
        /// The risk record's `scoreName`.
        public var score: String
        public var clear: Clear
        public var rules: [Rule]
    }

    public static let noLadder = "none"

    public var name: String
    public var version: String
    public var defaults: Defaults
    public var targets: [String]
    public var routes: [Route]
    public var ladders: [String: [LadderStep]]
    public var conditions: [Condition]

    /// `sha256:<hex>` of the policy re-encoded as sorted JSON: comments, key order and units do not change it.
    public var hash: String {
        "sha256:" + HexDigest.sha256(of: (try? VigilJSON.encode(self)) ?? []).hex
    }
}
