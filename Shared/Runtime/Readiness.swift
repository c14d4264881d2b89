import Synchronization

/// Named readiness conditions (`postgres`, `kafka`, `topics`, ...). `/ready` answers 200 only when all
/// registered conditions hold; `/health` only says the process is alive.
public final class Readiness: Sendable {
    private let checks = Mutex<[String: Bool]>([:])

    public init() {}

    public func register(_ names: String...) {
        checks.withLock { checks in names.forEach { checks[$0] = checks[$0] ?? false } }
    }

    public func set(_ name: String, _ ready: Bool) {
        checks.withLock { $0[name] = ready }
    }

    public var snapshot: [String: Bool] { checks.withLock { $0 } }

    public var isReady: Bool { checks.withLock { !$0.isEmpty && $0.values.allSatisfy { $0 } } }
}
