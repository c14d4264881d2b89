import Foundation
import Yams

/// Reads and validates an alert policy. Every problem stops start-up and names the file and the condition,
/// rule, route or ladder (`policy FILE: condition #1 (id: news2) rule #3 (id: news2.single3): …`).
public enum AlertPolicyLoader {
    public static func load(path: String) throws(AlertPolicyError) -> AlertPolicy {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AlertPolicyError(.policyError, "policy \(path): cannot read the file")
        }
        return try parse(String(decoding: data, as: UTF8.self), source: path)
    }

    /// The built-in policy (`BuiltInAlertPolicy.yaml`), for a service started without a config directory.
    public static func builtIn() throws(AlertPolicyError) -> AlertPolicy {
        try parse(BuiltInAlertPolicy.yaml, source: "built-in alert-policy.yaml")
    }

    public static func parse(_ yaml: String, source: String = "policy") throws(AlertPolicyError) -> AlertPolicy {
        let reader = PolicyReader(source: source)
        let loaded: Any?
        do {
            loaded = try Yams.load(yaml: yaml)
        } catch {
            throw reader.error("", "not valid YAML")
        }
        let root = try reader.map(
            loaded, at: "",
            allowed: ["apiVersion", "kind", "metadata", "defaults", "targets", "routes", "ladders", "conditions"])
        guard root["apiVersion"] as? String == "vigil.notify/v1", root["kind"] as? String == "AlertPolicy" else {
            throw reader.error("", "apiVersion must be vigil.notify/v1 and kind AlertPolicy")
        }
        let metadata = try reader.map(root["metadata"], at: "metadata", allowed: ["name", "version"])
        let policy = AlertPolicy(
            name: try reader.string(metadata["name"], at: "metadata.name"),
            version: try reader.string(versionText(metadata["version"]), at: "metadata.version"),
            defaults: try parseDefaults(root["defaults"], reader),
            targets: try reader.strings(root["targets"], at: "targets"),
            routes: try parseRoutes(root["routes"], reader),
            ladders: try parseLadders(root["ladders"], reader),
            conditions: try parseConditions(root["conditions"], reader))
        try AlertPolicyValidation.validate(policy, reader)
        return policy
    }

    private static func parseDefaults(
        _ value: Any?, _ reader: PolicyReader
    ) throws(AlertPolicyError) -> AlertPolicy.Defaults {
        let map = try reader.map(
            value, at: "defaults",
            allowed: [
                "maxRecordAge", "staleInputs", "expireAfter", "remind", "snooze", "overrideHold", "correctionGrace",
            ])
        let remind = try reader.map(map["remind"], at: "defaults.remind", allowed: ["first", "factor", "max"])
        let factor = try reader.number(remind["factor"], at: "defaults.remind.factor")
        guard factor >= 1 else { throw reader.error("defaults.remind.factor", "must be at least 1") }
        let snooze = try reader.map(map["snooze"], at: "defaults.snooze", allowed: ["max", "allowedFor"])
        var allowed: [AlertPolicy.Severity] = []
        for entry in try reader.list(snooze["allowedFor"], at: "defaults.snooze.allowedFor") {
            allowed.append(try reader.severity(entry, at: "defaults.snooze.allowedFor"))
        }
        return AlertPolicy.Defaults(
            maxRecordAge: try reader.duration(map["maxRecordAge"], at: "defaults.maxRecordAge"),
            staleInputs: try reader.duration(map["staleInputs"], at: "defaults.staleInputs"),
            expireAfter: try reader.duration(map["expireAfter"], at: "defaults.expireAfter"),
            remind: AlertPolicy.Remind(
                first: try reader.duration(remind["first"], at: "defaults.remind.first"), factor: factor,
                max: try reader.duration(remind["max"], at: "defaults.remind.max")),
            snooze: AlertPolicy.Snooze(
                max: try reader.duration(snooze["max"], at: "defaults.snooze.max"), allowedFor: allowed),
            overrideHold: try reader.duration(map["overrideHold"], at: "defaults.overrideHold"),
            correctionGrace: try reader.duration(map["correctionGrace"], at: "defaults.correctionGrace"))
    }

    private static func parseRoutes(
        _ value: Any?, _ reader: PolicyReader
    ) throws(AlertPolicyError) -> [AlertPolicy.Route] {
        var routes: [AlertPolicy.Route] = []
        for (index, entry) in try reader.list(value, at: "routes").enumerated() {
            let place = "route #\(index + 1)"
            let map = try reader.map(entry, at: place, allowed: ["units", "ladder"])
            routes.append(
                AlertPolicy.Route(
                    units: try reader.strings(map["units"], at: "\(place) units"),
                    ladder: try reader.string(map["ladder"], at: "\(place) ladder")))
        }
        return routes
    }

    private static func parseLadders(
        _ value: Any?, _ reader: PolicyReader
    ) throws(AlertPolicyError) -> [String: [AlertPolicy.LadderStep]] {
        guard let map = value as? [String: Any], !map.isEmpty else {
            throw reader.error("ladders", "must be a non-empty mapping of ladder names to steps")
        }
        var ladders: [String: [AlertPolicy.LadderStep]] = [:]
        for name in map.keys.sorted() {
            let place = "ladder \(name)"
            guard let entries = map[name] as? [Any], !entries.isEmpty else { throw reader.error(place, "is empty") }
            var steps: [AlertPolicy.LadderStep] = []
            for (index, entry) in entries.enumerated() {
                let stepPlace = "\(place) step #\(index + 1)"
                let step = try reader.map(entry, at: stepPlace, allowed: ["after", "targets", "raiseSeverityTo"])
                steps.append(
                    AlertPolicy.LadderStep(
                        after: try reader.duration(step["after"], at: "\(stepPlace) after", allowZero: true),
                        targets: try reader.strings(step["targets"], at: "\(stepPlace) targets"),
                        raiseSeverityTo: step["raiseSeverityTo"] == nil
                            ? nil : try reader.severity(step["raiseSeverityTo"], at: "\(stepPlace) raiseSeverityTo")))
            }
            ladders[name] = steps
        }
        return ladders
    }

    /// `version: 1.0` unquoted is a YAML number; keep its text.
    private static func versionText(_ value: Any?) -> Any? {
        switch value {
        case let number as Double: String(number)
        default: value
        }
    }
}
