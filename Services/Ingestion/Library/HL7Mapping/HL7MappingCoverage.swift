/// Mapping coverage of one HL7 v2 message (issue 4, item 8: never a silent drop).
///
/// Every segment of the message is counted once under its id as
/// - `mapped`: it contributed to the events (patient, encounter, result, note, times),
/// - `defaulted`: it contributed, but the mapping had to assume something (a fallback time, a missing UTC
///   offset, a unit kept verbatim, a local code passed through, …),
/// - `ignored`: nothing was taken from it (a segment type Vigil does not map, a pending result, …).
///
/// Field-level notes say which fields were used (`mapped`), which were defaulted and how (missing OBX-14 →
/// OBR-7 → MSH-7), and which were present but not mapped (`ignored`). Notes carry field positions and fixed
/// reasons, never field contents, so they can go to metrics and logs outside the PHI zone.
public struct HL7MappingCoverage: Hashable, Sendable {
    public enum Disposition: String, Hashable, Sendable, CaseIterable, Comparable {
        case mapped, defaulted, ignored

        public static func < (lhs: Disposition, rhs: Disposition) -> Bool { lhs.rank < rhs.rank }

        var rank: Int {
            switch self {
            case .mapped: 0
            case .defaulted: 1
            case .ignored: 2
            }
        }
    }

    /// How many segments with one id were mapped, defaulted or ignored.
    public struct SegmentCounts: Hashable, Sendable {
        public var mapped = 0
        public var defaulted = 0
        public var ignored = 0

        public init(mapped: Int = 0, defaulted: Int = 0, ignored: Int = 0) {
            self.mapped = mapped
            self.defaulted = defaulted
            self.ignored = ignored
        }

        public subscript(_ disposition: Disposition) -> Int {
            get {
                switch disposition {
                case .mapped: mapped
                case .defaulted: defaulted
                case .ignored: ignored
                }
            }
            set {
                switch disposition {
                case .mapped: mapped = newValue
                case .defaulted: defaulted = newValue
                case .ignored: ignored = newValue
                }
            }
        }

        public var total: Int { mapped + defaulted + ignored }
    }

    /// One field-level observation: `OBX-14 defaulted "absent; OBR-7 used"`.
    public struct Note: Hashable, Sendable, Comparable {
        /// `OBX-14`, `PID-3.4`, or a segment id for notes about a whole segment.
        public let field: String
        public let disposition: Disposition
        /// A fixed explanation chosen by the mapper; never field contents.
        public let reason: String

        public static func < (lhs: Note, rhs: Note) -> Bool {
            (lhs.field, lhs.disposition.rank, lhs.reason) < (rhs.field, rhs.disposition.rank, rhs.reason)
        }
    }

    /// Per segment id.
    public internal(set) var segments: [String: SegmentCounts] = [:]
    /// Field-level notes with how often each occurred in the message.
    public internal(set) var notes: [Note: Int] = [:]

    public init() {}

    public func count(_ segmentID: String, _ disposition: Disposition) -> Int {
        segments[segmentID]?[disposition] ?? 0
    }

    /// How often a field was noted with this disposition (any reason).
    public func noteCount(_ field: String, _ disposition: Disposition) -> Int {
        notes.filter { $0.key.field == field && $0.key.disposition == disposition }.reduce(0) { $0 + $1.value }
    }

    /// Whether any note exists for the field with this disposition.
    public func has(_ field: String, _ disposition: Disposition) -> Bool { noteCount(field, disposition) > 0 }

    /// Sorted notes with their counts.
    public var sortedNotes: [(note: Note, count: Int)] {
        notes.sorted { $0.key < $1.key }.map { (note: $0.key, count: $0.value) }
    }

    /// `PID mapped 1` and `OBX-14 defaulted 2 absent; OBR-7 used`-style lines, sorted: for logs and tools.
    public var lines: [String] {
        segments.keys.sorted().flatMap { id in
            Disposition.allCases.compactMap { d in
                let n = count(id, d)
                return n > 0 ? "\(id) \(d.rawValue) \(n)" : nil
            }
        } + sortedNotes.map { "\($0.note.field) \($0.note.disposition.rawValue) \($0.count) \($0.note.reason)" }
    }

    mutating func addSegment(_ id: String, _ disposition: Disposition) {
        segments[id, default: SegmentCounts()][disposition] += 1
    }

    mutating func addNote(_ field: String, _ disposition: Disposition, _ reason: StaticString) {
        notes[Note(field: field, disposition: disposition, reason: reason.description), default: 0] += 1
    }
}
