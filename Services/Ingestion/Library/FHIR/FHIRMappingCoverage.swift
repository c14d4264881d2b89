/// Mapping coverage of one FHIR message (issue 4, item 8: never a silent drop).
///
/// Resources are counted by type as mapped (they produced events or identified a patient) or ignored
/// (a type Vigil does not map, a request it does not execute, a status it does not ingest, …). Within
/// mapped resources every top-level element present is counted as `mapped` or `ignored`, and every default
/// the mapping applied (a date-only time, a non-UCUM unit, a fallback time) as `defaulted` under the
/// element it stands for. Keys are element names, never values.
public struct FHIRMappingCoverage: Hashable, Sendable {
    public enum Disposition: String, Hashable, Sendable, CaseIterable, Comparable {
        case mapped, defaulted, ignored

        public static func < (lhs: Disposition, rhs: Disposition) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    public struct ElementKey: Hashable, Sendable, Comparable {
        public let resourceType: String
        /// Dotted element path without indices, e.g. `valueQuantity.code`, `effective[x]`, `component`.
        public let element: String
        public let disposition: Disposition

        public static func < (lhs: ElementKey, rhs: ElementKey) -> Bool {
            (lhs.resourceType, lhs.element, lhs.disposition) < (rhs.resourceType, rhs.element, rhs.disposition)
        }
    }

    public struct ResourceKey: Hashable, Sendable, Comparable {
        public let resourceType: String
        public let disposition: Disposition

        public static func < (lhs: ResourceKey, rhs: ResourceKey) -> Bool {
            (lhs.resourceType, lhs.disposition) < (rhs.resourceType, rhs.disposition)
        }
    }

    public private(set) var resources: [ResourceKey: Int] = [:]
    public private(set) var elements: [ElementKey: Int] = [:]
    /// Events produced, by resource type.
    public private(set) var events: [String: Int] = [:]

    public init() {}

    public func resourceCount(_ resourceType: String, _ disposition: Disposition) -> Int {
        resources[ResourceKey(resourceType: resourceType, disposition: disposition)] ?? 0
    }

    public func elementCount(_ resourceType: String, _ element: String, _ disposition: Disposition) -> Int {
        elements[ElementKey(resourceType: resourceType, element: element, disposition: disposition)] ?? 0
    }

    /// `Observation.valueQuantity mapped 12`-style lines, sorted: for logs, metrics and `inspect` output.
    public var lines: [String] {
        resources.sorted { $0.key < $1.key }.map { "\($0.key.resourceType) \($0.key.disposition.rawValue) \($0.value)" }
            + elements.sorted { $0.key < $1.key }.map {
                "\($0.key.resourceType).\($0.key.element) \($0.key.disposition.rawValue) \($0.value)"
            }
    }

    mutating func resource(_ resourceType: String, _ disposition: Disposition) {
        resources[ResourceKey(resourceType: resourceType, disposition: disposition), default: 0] += 1
    }

    mutating func element(_ resourceType: String, _ element: String, _ disposition: Disposition) {
        elements[ElementKey(resourceType: resourceType, element: element, disposition: disposition), default: 0] += 1
    }

    mutating func event(_ resourceType: String) {
        events[resourceType, default: 0] += 1
    }

    /// Counts each top-level element of a mapped resource as mapped (listed in `mapped`) or ignored.
    /// `resourceType`, `id` and `meta` are structural and not counted.
    mutating func elements(of resource: [String: Any], type resourceType: String, mapped: Set<String>) {
        for key in resource.keys where !Self.structural.contains(key) {
            element(resourceType, FHIRNames.safe(key), mapped.contains(key) ? .mapped : .ignored)
        }
    }

    private static let structural: Set<String> = ["resourceType", "id", "meta"]
}
