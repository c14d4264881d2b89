import Foundation

/// A configuration problem, naming the variable and what is wrong with it (never a secret's value).
public struct ConfigurationError: Error, CustomStringConvertible, Equatable, Sendable {
    public var variable: String
    public var problem: String

    public init(variable: String, problem: String) {
        self.variable = variable
        self.problem = problem
    }

    public var description: String { "configuration error: \(variable) \(problem)" }
}

/// Typed access to environment variables with defaults. Executables build one from
/// `ProcessInfo.processInfo.environment` in `main`; libraries never read the environment themselves.
public struct EnvironmentReader: Sendable {
    private let values: [String: String]

    public init(_ values: [String: String]) {
        self.values = values
    }

    /// The value, or `defaultValue` when unset or empty.
    public func string(_ name: String, default defaultValue: String) -> String {
        guard let value = values[name], !value.isEmpty else { return defaultValue }
        return value
    }

    /// Every set variable whose name starts with `prefix`, for settings a library parses as a group.
    public func values(withPrefix prefix: String) -> [String: String] {
        values.filter { $0.key.hasPrefix(prefix) }
    }

    public func optionalString(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    public func required(_ name: String) throws -> String {
        guard let value = optionalString(name) else {
            throw ConfigurationError(variable: name, problem: "is required but not set")
        }
        return value
    }

    public func int(_ name: String, default defaultValue: Int, range: ClosedRange<Int>? = nil) throws -> Int {
        guard let text = optionalString(name) else { return defaultValue }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw ConfigurationError(variable: name, problem: "must be an integer, got '\(text)'")
        }
        if let range, !range.contains(value) {
            throw ConfigurationError(
                variable: name, problem: "must be between \(range.lowerBound) and \(range.upperBound), got \(value)")
        }
        return value
    }

    public func bool(_ name: String, default defaultValue: Bool) throws -> Bool {
        guard let text = optionalString(name)?.lowercased() else { return defaultValue }
        switch text {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError(variable: name, problem: "must be true or false, got '\(text)'")
        }
    }

    /// A duration written as `250ms`, `5s`, `2m` or a bare number of seconds.
    public func duration(_ name: String, default defaultValue: Duration) throws -> Duration {
        guard let text = optionalString(name)?.trimmingCharacters(in: .whitespaces) else { return defaultValue }
        let units: [(suffix: String, scale: Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600), ("", 1)]
        for unit in units where text.hasSuffix(unit.suffix) {
            if let number = Double(text.dropLast(unit.suffix.count)), number >= 0 {
                return .milliseconds(Int64(number * unit.scale * 1000))
            }
        }
        throw ConfigurationError(variable: name, problem: "must be a duration like 250ms, 5s or 2m, got '\(text)'")
    }

    public func choice<T: RawRepresentable>(_ name: String, default defaultValue: T) throws -> T
    where T.RawValue == String, T: CaseIterable {
        guard let text = optionalString(name) else { return defaultValue }
        guard let value = T(rawValue: text.lowercased()) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(variable: name, problem: "must be one of \(allowed), got '\(text)'")
        }
        return value
    }
}
