/// FHIR `AdministrativeGender` (HL7 v2 `F`/`M`/`O`/`U` map onto it). Not a Safe Harbor identifier, so it
/// may travel de-identified.
public enum AdministrativeSex: String, Hashable, Sendable, Codable, CaseIterable {
    case female, male, other, unknown
}

/// What models may know about a patient after de-identification: age in whole years at the event (computed
/// from the real birth date before any date shift), top-coded at 90 per Safe Harbor; sex; ZIP3.
public struct Demographics: Hashable, Sendable, Codable {
    /// 0...90; 90 means 90 or older when `ageTopCoded`.
    public var ageYears: Int?
    public var ageTopCoded: Bool
    public var sex: AdministrativeSex?
    /// First three ZIP digits, `000` for sparsely populated areas.
    public var zip3: String?

    public init(ageYears: Int? = nil, ageTopCoded: Bool = false, sex: AdministrativeSex? = nil, zip3: String? = nil) {
        self.ageYears = ageYears
        self.ageTopCoded = ageTopCoded
        self.sex = sex
        self.zip3 = zip3
    }
}

/// How an event was de-identified, without any original value: the policy (name, version, SHA-256 of its
/// canonical form), the key id, whether times were shifted, which rule changed which field, and how many
/// free-text spans of each type were replaced.
public struct DeidProvenance: Hashable, Sendable, Codable {
    public struct RuleApplication: Hashable, Sendable, Codable {
        public var rule: String
        public var path: String
        public var action: String

        public init(rule: String, path: String, action: String) {
            self.rule = rule
            self.path = path
            self.action = action
        }
    }

    public var policyName: String
    public var policyVersion: String
    /// `sha256:<hex>` of the parsed policy.
    public var policyHash: String
    public var keyID: String
    public var dateShifted: Bool
    public var rules: [RuleApplication]
    /// Replaced free-text spans by type (`NAME`: 2, …).
    public var spans: [String: Int]

    public init(
        policyName: String, policyVersion: String, policyHash: String, keyID: String, dateShifted: Bool,
        rules: [RuleApplication] = [], spans: [String: Int] = [:]
    ) {
        self.policyName = policyName
        self.policyVersion = policyVersion
        self.policyHash = policyHash
        self.keyID = keyID
        self.dateShifted = dateShifted
        self.rules = rules
        self.spans = spans
    }
}
