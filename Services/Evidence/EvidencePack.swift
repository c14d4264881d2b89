import Foundation

/// What a deployer of a high-risk AI system keeps and shows for one period (EU AI Act Arts. 12, 13, 14, 72 and
/// the serious-incident duty of Art. 73): one document, written as `evidence.json` and described by
/// docs/schemas/evidence-pack.schema.json. Times are RFC 3339 UTC text; patients appear only as pseudonyms.
public struct EvidencePack: Codable, Sendable, Hashable {
    /// Bump the number when a field changes meaning or disappears; adding optional fields keeps it.
    public static let schemaID = "vigil.evidence-pack/1"

    public var schema = EvidencePack.schemaID
    public var generatedAt: String
    public var period: Period
    public var summary: Summary
    public var recordKeeping: RecordKeeping
    public var transparency: Transparency
    public var humanOversight: HumanOversight
    public var postMarketMonitoring: PostMarketMonitoring
    public var incidentCandidates: [IncidentCandidate]

    public struct Period: Codable, Sendable, Hashable {
        /// Inclusive.
        public var from: String
        /// Exclusive.
        public var to: String
    }

    /// The figures a reader checks first; `findings` says in words what needs attention.
    public struct Summary: Codable, Sendable, Hashable {
        public var auditChainIntact: Bool
        public var auditChain: String
        public var auditEntries: Int
        public var modelVersions: Int
        public var modelVersionsInUse: Int
        public var policies: Int
        public var acknowledgements: Int
        public var overrides: Int
        public var snoozes: Int
        public var stopSwitchUses: Int
        public var identityReveals: Int
        public var monitoringWindows: Int
        public var governanceAlerts: Int
        public var incidentCandidates: Int
        public var incidentCandidatesByKind: [String: Int]
        /// Confirmed outcomes received in the period whose condition no live model decided (not candidates).
        public var outcomesWithoutLiveModel: Int
        public var findings: [String]
    }
}

/// Art. 12: the period's audit entries and the verification of the whole chain.
public struct RecordKeeping: Codable, Sendable, Hashable {
    public var chain: ChainResult
    public var entries: [AuditEntry]

    public struct ChainResult: Codable, Sendable, Hashable {
        /// `intact` or `broken`.
        public var status: String
        /// Entries verified (all of them when intact; the ones before the break otherwise).
        public var verifiedEntries: Int64
        public var headSeq: Int64?
        public var headHash: String?
        public var brokenSeq: Int64?
        /// `sequenceGap`, `hashMismatch`, `prevHashMismatch` or `malformedRow` (Shared/Audit/AuditVerifier.swift).
        public var brokenReason: String?
        public var description: String
    }

    /// One row of `audit.log` as stored: with `atMicroseconds`, `details` (the exact text) and the hashes, an
    /// auditor can recompute each hash from the extract alone (canonical form in Shared/Audit/AuditCanonical.swift).
    public struct AuditEntry: Codable, Sendable, Hashable {
        public var seq: Int64
        public var at: String
        public var atMicroseconds: Int64
        public var actor: String
        public var action: String
        public var subject: String
        public var reason: String?
        public var details: String?
        public var prevHash: String
        public var hash: String
    }
}

/// Art. 13: what ran and under which rules.
public struct Transparency: Codable, Sendable, Hashable {
    public var models: [Model]
    public var policies: [Policy]

    /// A registered model version (`infer.models`), or one notify decided on without a registry row.
    public struct Model: Codable, Sendable, Hashable {
        public var id: String
        public var version: String
        public var registered: Bool
        /// Status at export: `active`, `shadow`, `retired` or `stopped`; absent when unregistered.
        public var status: String?
        public var kind: String?
        public var sha256: String?
        public var card: String?
        public var registeredAt: String?
        public var statusChangedAt: String?
        public var liveDecisions: Int
        public var shadowDecisions: Int
        /// Decided on in the period.
        public var inUse: Bool
    }

    /// An alert policy version (`notify.policies`) or a hash decisions name without a row.
    public struct Policy: Codable, Sendable, Hashable {
        public var hash: String
        public var name: String?
        public var version: String?
        public var loadedAt: String?
        public var decisions: Int
        public var inUse: Bool
    }
}
