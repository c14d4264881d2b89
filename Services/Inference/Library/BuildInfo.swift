import Foundation

/// Which software computed a record. `make` passes `git describe` to the services as VIGIL_CODE_VERSION; a
/// binary started some other way says `unknown` rather than guess.
public enum BuildInfo {
    public static let codeVersion = ProcessInfo.processInfo.environment["VIGIL_CODE_VERSION"] ?? "unknown"
}
