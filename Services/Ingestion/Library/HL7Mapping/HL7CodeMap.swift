import VigilModelCore

/// Local observation codes → LOINC, for the vitals and labs Vigil's models read.
///
/// Loaded from a small tab-separated file (no new dependencies), one mapping a line:
///
///     # system<TAB>code<TAB>loinc<TAB>display<TAB>kind
///     99VIT	HR	8867-4	Heart rate	observation
///     *	CREAT	2160-0	Creatinine [Mass/volume] in Serum or Plasma	lab
///
/// `system` is the OBX-3 coding system as sent (`99VIT`, `L`, …), empty for codes sent without one, or `*`
/// for any local system; `code` the local code. Both match without regard to case; an exact system wins
/// over `*`. `display` and `kind` (`observation` for vital signs and scores, `lab` for laboratory results)
/// are optional. Blank lines and lines starting with `#` are skipped. LOINC codes are checked for their form
/// and their check digit, so a typo in a map fails at load time rather than mislabelling results.
///
/// A code the sender already sends as LOINC (OBX-3 system `LN`, in the primary or alternate triplet) is
/// used as is and never looked up.
public struct HL7CodeMap: Hashable, Sendable {
    public struct Entry: Hashable, Sendable {
        public var loinc: String
        public var display: String?
        public var kind: EventKind?

        public init(loinc: String, display: String? = nil, kind: EventKind? = nil) {
            self.loinc = loinc
            self.display = display
            self.kind = kind
        }

        public var coding: Coding { Coding.loinc(loinc, display: display) }
    }

    /// A line of a code map file that could not be read.
    public struct LoadError: Error, Hashable, Sendable, CustomStringConvertible {
        /// 1-based line number.
        public var line: Int
        public var reason: StaticString

        public var description: String { "HL7CodeMap.LoadError line=\(line): \(reason)" }

        public static func == (lhs: LoadError, rhs: LoadError) -> Bool {
            lhs.line == rhs.line && lhs.reason.description == rhs.reason.description
        }

        public func hash(into hasher: inout Hasher) { hasher.combine(line) }
    }

    struct Key: Hashable, Sendable {
        var system: String
        var code: String

        init(system: String?, code: String) {
            self.system = (system ?? "").hl7Trimmed.uppercased()
            self.code = code.hl7Trimmed.uppercased()
        }
    }

    static let anySystem = "*"
    private(set) var entries: [Key: Entry] = [:]

    public init() {}

    /// Reads a code map file (see the type's documentation for the format).
    public init(tsv text: String) throws(LoadError) {
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
            if line.allSatisfy({ $0 == " " || $0 == "\t" }) || line.hasPrefix("#") { continue }
            let columns = line.split(separator: "\t", omittingEmptySubsequences: false).map { String($0).hl7Trimmed }
            guard columns.count >= 3 else { throw LoadError(line: lineNumber, reason: "expected at least 3 columns") }
            guard !columns[1].isEmpty else { throw LoadError(line: lineNumber, reason: "empty local code") }
            guard Self.isValidLOINC(columns[2]) else {
                throw LoadError(line: lineNumber, reason: "not a LOINC code with a valid check digit")
            }
            var kind: EventKind?
            if columns.count > 4, !columns[4].isEmpty {
                guard let parsed = EventKind(rawValue: columns[4]), parsed == .observation || parsed == .lab else {
                    throw LoadError(line: lineNumber, reason: "kind must be observation or lab")
                }
                kind = parsed
            }
            let display = columns.count > 3 && !columns[3].isEmpty ? columns[3] : nil
            let key = Key(system: columns[0], code: columns[1])
            guard entries[key] == nil else { throw LoadError(line: lineNumber, reason: "duplicate system and code") }
            entries[key] = Entry(loinc: columns[2], display: display, kind: kind)
        }
    }

    /// Adds or replaces one mapping; `system` nil or empty for codes sent without a coding system, `*` for any.
    public mutating func set(system: String?, code: String, to entry: Entry) {
        entries[Key(system: system, code: code)] = entry
    }

    /// This map with `other`'s entries added, `other` winning where both map the same system and code.
    public func merging(_ other: HL7CodeMap) -> HL7CodeMap {
        var copy = self
        copy.entries.merge(other.entries) { _, new in new }
        return copy
    }

    public var count: Int { entries.count }

    /// The LOINC mapping of a local code: the exact system first, then `*` (only for non-standard systems).
    public func lookup(system: String?, code: String) -> Entry? {
        if let entry = entries[Key(system: system, code: code)] { return entry }
        guard !HL7CodingSystems.uri(for: system).isKnown else { return nil }
        return entries[Key(system: Self.anySystem, code: code)]
    }

    /// `NNNNN-C` with a correct LOINC (mod 10) check digit.
    public static func isValidLOINC(_ code: String) -> Bool {
        let parts = code.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, (1...7).contains(parts[0].count), parts[1].count == 1,
            let check = parts[1].first?.wholeNumberValue, parts[0].allSatisfy({ $0.isASCII && $0.isNumber })
        else { return false }
        var sum = 0
        for (position, character) in parts[0].reversed().enumerated() {
            guard let digit = character.wholeNumberValue else { return false }
            if position % 2 == 0 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return (10 - sum % 10) % 10 == check
    }

    /// LOINC codes of vital signs and bedside scores: observations, not labs, whatever message carries them.
    public static let vitalSigns: Set<String> = [
        "8867-4", "9279-1", "8310-5", "8480-6", "8462-4", "8478-0", "85354-9", "59408-5", "2708-6", "3150-0",
        "19994-3", "3151-8", "67775-7", "9269-2", "9267-6", "9268-4", "9270-0", "29463-7", "8302-2", "39156-5",
        "8287-5", "8306-3",
    ]
}
