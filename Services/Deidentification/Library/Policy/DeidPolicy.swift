import Foundation
import VigilModelCore

/// A de-identification policy: which action applies to which field of an identified event. Loaded from YAML
/// (`DeidPolicyLoader`), validated at start-up, and identified by the SHA-256 of its canonical form, which is
/// stamped on every output event.
public struct DeidPolicy: Hashable, Sendable, Codable {
    public enum Profile: String, Hashable, Sendable, Codable {
        /// Every PHI field must have a rule other than `keep`.
        case safeHarbor
        case custom
    }

    public struct Parameters: Hashable, Sendable, Codable {
        public var dateShiftMinDays: Int = -365
        public var dateShiftMaxDays: Int = -1
        public var ageCap: Int = 90
        public var restrictedZip3: [String] = []
        /// `system|code` of observations whose value is an age (top-coded like ages in demographics).
        public var ageCodes: [String] = []
        public var scrubProfessions: Bool = false
    }

    public struct Rule: Hashable, Sendable, Codable {
        public var id: String
        public var paths: [DeidPath]
        public var action: DeidAction
        /// `generalize`: `zip3`, `ageCap`.
        public var method: String?
        /// `substitute`.
        public var replaceWith: String?
        /// `where: {codeIn: [...]}` (value rules only).
        public var codeIn: [String]?
        /// `perturb`: ± span, absolute (`fixed`) or relative (`proportional`), rounded to `roundTo` decimals.
        public var span: Double?
        public var rangeType: String?
        public var roundTo: Int?

        /// Whether the rule applies to an event with this code (`system|code`).
        func matches(code: String) -> Bool { codeIn.map { $0.contains(code) } ?? true }
    }

    public var name: String
    public var version: String
    public var profile: Profile
    public var parameters: Parameters
    public var rules: [Rule]

    /// `sha256:<hex>` of the policy re-encoded as sorted JSON: comments and layout do not change it.
    public var hash: String {
        "sha256:" + HexDigest.sha256(of: (try? VigilJSON.encode(self)) ?? []).hex
    }

    /// The first rule for `path` that applies to an event with `code`; nil when none does.
    public func rule(for path: DeidPath, code: String = "") -> Rule? {
        rules.first { $0.paths.contains(path) && $0.matches(code: code) }
    }
}

/// The actions of Microsoft's FHIR anonymizer, plus `pseudonymize` (the patient) and `scrub` (free text).
public enum DeidAction: String, Hashable, Sendable, Codable, CaseIterable {
    case redact, dateShift, cryptoHash, encrypt, substitute, generalize, keep, perturb, pseudonymize, scrub
}

/// The fields of an identified event a rule can name (a closed set: a typo is a start-up error).
public enum DeidPath: String, Hashable, Sendable, Codable, CaseIterable {
    case patient
    case identifiers = "patient.identifiers"
    case names = "patient.names"
    case birthDate = "patient.birthDate"
    case sex = "patient.sex"
    case postalCode = "patient.addresses.postalCode"
    case addresses = "patient.addresses"
    case telecoms = "patient.telecoms"
    case encounter
    case effectiveTime
    case recordedTime
    case quantity = "value.quantity"
    case text = "value.text"
    case codeDisplay = "code.display"
    case codedDisplay = "value.coded.display"
    case controlID = "source.messageControlID"
    case sourceSystem = "source.system"

    /// Whether the field can carry PHI (Safe Harbor: such a field needs a rule other than `keep`).
    var isPHI: Bool {
        switch self {
        case .sex, .quantity, .codeDisplay, .codedDisplay, .sourceSystem: false
        default: true
        }
    }

    /// The actions that make sense for the field's type.
    var allowedActions: Set<DeidAction> {
        switch self {
        case .patient: [.pseudonymize]
        case .identifiers, .names, .addresses, .telecoms: [.redact, .keep]
        case .birthDate: [.generalize, .redact]
        case .sex: [.keep, .redact]
        case .postalCode: [.generalize, .redact]
        case .encounter, .controlID, .sourceSystem: [.cryptoHash, .encrypt, .substitute, .redact, .keep]
        case .effectiveTime, .recordedTime: [.dateShift, .keep]
        case .quantity: [.keep, .perturb, .generalize, .redact]
        case .text, .codeDisplay, .codedDisplay: [.scrub, .redact, .substitute, .keep]
        }
    }
}
