import VigilModelCore

/// Typed access to the untyped YAML tree. Every failure names the file and the place (`condition #1 (id: news2)
/// rule #3 (id: news2.single3)`), so a start-up error points at the line to fix.
struct PolicyReader {
    let source: String

    func error(_ place: String, _ problem: String) -> AlertPolicyError {
        AlertPolicyError(.policyError, "policy \(source): " + (place.isEmpty ? "" : "\(place): ") + problem)
    }

    /// A mapping with only `allowed` keys (unknown keys are mistakes, not extensions).
    func map(_ value: Any?, at place: String, allowed: Set<String>) throws(AlertPolicyError) -> [String: Any] {
        guard let map = value as? [String: Any] else { throw error(place, "must be a mapping") }
        if let unknown = map.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw error(place, "unknown key \(unknown)")
        }
        return map
    }

    func list(_ value: Any?, at place: String) throws(AlertPolicyError) -> [Any] {
        guard let list = value as? [Any], !list.isEmpty else { throw error(place, "must be a non-empty list") }
        return list
    }

    func string(_ value: Any?, at place: String) throws(AlertPolicyError) -> String {
        switch value {
        case let text as String where !text.isEmpty: return text
        case let number as Int: return String(number)
        default: throw error(place, "must be a non-empty string")
        }
    }

    func strings(_ value: Any?, at place: String) throws(AlertPolicyError) -> [String] {
        var result: [String] = []
        for element in try list(value, at: place) { result.append(try string(element, at: place)) }
        return result
    }

    /// `30s`, `15m`, `2h`; positive unless `allowZero` (a ladder's first step).
    func duration(_ value: Any?, at place: String, allowZero: Bool = false) throws(AlertPolicyError) -> PolicyDuration {
        guard let text = value as? String, let duration = PolicyDuration(parsing: text) else {
            throw error(place, "duration must be a whole number with s, m or h (30s, 15m, 2h)")
        }
        guard duration.seconds > 0 || (allowZero && duration.seconds == 0) else {
            throw error(place, "duration \(text) must be positive")
        }
        return duration
    }

    func number(_ value: Any?, at place: String) throws(AlertPolicyError) -> Double {
        let number: Double
        switch value {
        case let whole as Int: number = Double(whole)
        case let real as Double: number = real
        default: throw error(place, "must be a number")
        }
        guard number.isFinite else { throw error(place, "threshold must be finite") }
        return number
    }

    func severity(_ value: Any?, at place: String) throws(AlertPolicyError) -> AlertEvent.Severity {
        guard let text = value as? String, let severity = AlertEvent.Severity(rawValue: text) else {
            let known = AlertEvent.Severity.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(place, "unknown severity \(value.map { "\($0)" } ?? "(none)"); one of \(known)")
        }
        return severity
    }
}
