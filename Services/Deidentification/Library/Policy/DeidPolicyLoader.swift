import Foundation
import Yams

/// Reads and validates a policy file. Every problem names the rule (`rule #3 (id: zip)`) and stops start-up.
public enum DeidPolicyLoader {
    public static func load(path: String) throws(DeidError) -> DeidPolicy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DeidError(.policyError, "policy \(path): cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    public static func parse(_ yaml: String, source: String = "policy") throws(DeidError) -> DeidPolicy {
        func fail(_ problem: String) -> DeidError { DeidError(.policyError, "policy \(source): \(problem)") }
        let root: [String: Any]
        do {
            guard let loaded = try Yams.load(yaml: yaml) as? [String: Any] else { throw fail("not a YAML mapping") }
            root = loaded
        } catch let error as DeidError {
            throw error
        } catch {
            throw fail("not valid YAML")
        }
        try checkKeys(root, allowed: ["apiVersion", "kind", "metadata", "profile", "parameters", "rules"], at: "top level", fail)
        guard root["apiVersion"] as? String == "vigil.deid/v1", root["kind"] as? String == "DeidPolicy" else {
            throw fail("apiVersion must be vigil.deid/v1 and kind DeidPolicy")
        }
        let metadata = root["metadata"] as? [String: Any] ?? [:]
        guard let name = metadata["name"] as? String, let version = stringValue(metadata["version"]) else {
            throw fail("metadata needs name and version")
        }
        guard let profile = (root["profile"] as? String).flatMap(DeidPolicy.Profile.init(rawValue:)) else {
            throw fail("profile must be safeHarbor or custom")
        }
        let parameters = try parseParameters(root["parameters"] as? [String: Any] ?? [:], fail)
        guard let ruleList = root["rules"] as? [[String: Any]], !ruleList.isEmpty else { throw fail("rules must be a non-empty list") }
        var rules: [DeidPolicy.Rule] = []
        for (index, entry) in ruleList.enumerated() {
            rules.append(try parseRule(entry, number: index + 1, parameters: parameters, source: source))
        }
        let policy = DeidPolicy(name: name, version: version, profile: profile, parameters: parameters, rules: rules)
        try validate(policy, source: source)
        return policy
    }

    private static func parseParameters(
        _ map: [String: Any], _ fail: (String) -> DeidError
    ) throws(DeidError) -> DeidPolicy.Parameters {
        try checkKeys(map, allowed: ["dateShift", "ageCap", "restrictedZip3", "ageCodes", "scrubber"], at: "parameters", fail)
        var parameters = DeidPolicy.Parameters()
        if let shift = map["dateShift"] as? [String: Any] {
            try checkKeys(shift, allowed: ["minDays", "maxDays"], at: "parameters.dateShift", fail)
            parameters.dateShiftMinDays = shift["minDays"] as? Int ?? parameters.dateShiftMinDays
            parameters.dateShiftMaxDays = shift["maxDays"] as? Int ?? parameters.dateShiftMaxDays
        }
        guard parameters.dateShiftMinDays <= parameters.dateShiftMaxDays,
            (-3650...3650).contains(parameters.dateShiftMinDays), (-3650...3650).contains(parameters.dateShiftMaxDays)
        else { throw fail("parameters.dateShift: minDays <= maxDays, both within ±3650") }
        parameters.ageCap = map["ageCap"] as? Int ?? parameters.ageCap
        parameters.restrictedZip3 = (map["restrictedZip3"] as? [Any] ?? []).compactMap(stringValue)
        guard parameters.restrictedZip3.allSatisfy({ $0.count == 3 && $0.allSatisfy(\.isNumber) }) else {
            throw fail("parameters.restrictedZip3: three-digit strings")
        }
        parameters.ageCodes = map["ageCodes"] as? [String] ?? []
        if let scrubber = map["scrubber"] as? [String: Any] {
            try checkKeys(scrubber, allowed: ["professions"], at: "parameters.scrubber", fail)
            parameters.scrubProfessions = scrubber["professions"] as? Bool ?? false
        }
        return parameters
    }

    private static func parseRule(
        _ entry: [String: Any], number: Int, parameters: DeidPolicy.Parameters, source: String
    ) throws(DeidError) -> DeidPolicy.Rule {
        let id = entry["id"] as? String ?? "?"
        func fail(_ problem: String) -> DeidError {
            DeidError(.policyError, "policy \(source): rule #\(number) (id: \(id)) \(problem)")
        }
        try checkKeys(
            entry, allowed: ["id", "path", "action", "method", "replaceWith", "where", "span", "rangeType", "roundTo"],
            at: "", fail)
        guard id != "?" else { throw fail("needs an id") }
        let pathTexts: [String] = (entry["path"] as? [String]) ?? (entry["path"] as? String).map { [$0] } ?? []
        guard !pathTexts.isEmpty else { throw fail("needs a path") }
        var paths: [DeidPath] = []
        for text in pathTexts {
            guard let path = DeidPath(rawValue: text.replacingOccurrences(of: "[*]", with: "")) else {
                throw fail("unknown path \(text); known: \(DeidPath.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            paths.append(path)
        }
        guard let actionText = entry["action"] as? String, let action = DeidAction(rawValue: actionText) else {
            throw fail("unknown action; one of \(DeidAction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        for path in paths where !path.allowedActions.contains(action) {
            throw fail("\(action.rawValue) does not apply to \(path.rawValue)")
        }
        var rule = DeidPolicy.Rule(id: id, paths: paths, action: action)
        rule.method = entry["method"] as? String
        rule.replaceWith = entry["replaceWith"] as? String
        rule.span = (entry["span"] as? Double) ?? (entry["span"] as? Int).map(Double.init)
        rule.rangeType = entry["rangeType"] as? String
        rule.roundTo = entry["roundTo"] as? Int
        if let condition = entry["where"] as? [String: Any] {
            try checkKeys(condition, allowed: ["codeIn"], at: "where", fail)
            if condition["codeIn"] as? String == "$ageCodes" {
                rule.codeIn = parameters.ageCodes
            } else {
                rule.codeIn = condition["codeIn"] as? [String]
            }
            guard rule.codeIn != nil else { throw fail("where.codeIn must be a list of system|code or $ageCodes") }
        }
        switch action {
        case .generalize:
            let methods: [DeidPath: Set<String>] = [.postalCode: ["zip3"], .birthDate: ["ageCap"], .quantity: ["ageCap"]]
            guard let method = rule.method, paths.allSatisfy({ methods[$0]?.contains(method) == true }) else {
                throw fail("generalize needs a method: zip3 for postal codes, ageCap for birth dates and age values")
            }
        case .substitute:
            guard rule.replaceWith != nil else { throw fail("substitute needs replaceWith") }
        case .perturb:
            guard let span = rule.span, span > 0, ["fixed", "proportional", nil].contains(rule.rangeType) else {
                throw fail("perturb needs a positive span and rangeType fixed or proportional")
            }
        default:
            break
        }
        return rule
    }

    private static func validate(_ policy: DeidPolicy, source: String) throws(DeidError) {
        func fail(_ problem: String) -> DeidError { DeidError(.policyError, "policy \(source): \(problem)") }
        var ids: Set<String> = []
        for rule in policy.rules where !ids.insert(rule.id).inserted {
            throw fail("rule id \(rule.id) is used twice")
        }
        guard policy.rules.filter({ $0.action == .pseudonymize }).count == 1 else {
            throw fail("exactly one rule must pseudonymize the patient")
        }
        guard policy.profile == .safeHarbor else { return }
        for path in DeidPath.allCases where path.isPHI {
            // Rules restricted by code do not cover every event.
            guard let rule = policy.rules.first(where: { $0.paths.contains(path) && $0.codeIn == nil }) else {
                throw fail("profile safeHarbor: \(path.rawValue) needs a rule")
            }
            if rule.action == .keep {
                throw fail("profile safeHarbor: rule (id: \(rule.id)) keeps \(path.rawValue), which carries PHI")
            }
        }
    }

    private static func checkKeys(
        _ map: [String: Any], allowed: Set<String>, at place: String, _ fail: (String) -> DeidError
    ) throws(DeidError) {
        if let unknown = map.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw fail("unknown key \(unknown)\(place.isEmpty ? "" : " in \(place)")")
        }
    }

    private static func stringValue(_ value: Any?) -> String? {
        switch value {
        case let text as String: text
        case let number as Int: String(number)
        case let number as Double: String(number)
        default: nil
        }
    }
}
