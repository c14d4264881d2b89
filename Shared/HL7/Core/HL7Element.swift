/// A field, repetition, component or sub-component: a byte range in the message, split further only on
/// request. Positions are 1-based as in HL7. Asking past the end gives an absent element, never a trap.
///
/// Navigation follows HL7's rule that a simple value is its own first part: `field.component(1)` of an
/// unstructured field is the field, and `field.component(n)` means the first repetition's component n.
public struct HL7Element: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case field, repetition, component, subcomponent
        public static func < (lhs: Level, rhs: Level) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    @usableFromInline let storage: HL7Storage
    @usableFromInline let start: Int32
    @usableFromInline let end: Int32
    public let level: Level
    /// MSH-1 and MSH-2: never split or unescaped.
    @usableFromInline let literal: Bool

    @usableFromInline
    init(storage: HL7Storage, range: Range<Int>, level: Level, literal: Bool = false) {
        self.storage = storage
        self.start = Int32(range.lowerBound)
        self.end = Int32(range.upperBound)
        self.level = level
        self.literal = literal
    }

    /// Byte range in the input.
    public var byteRange: Range<Int> { Int(start)..<Int(end) }

    /// Absent or empty (`||`).
    public var isEmpty: Bool { start == end }

    /// Exactly `""`: an explicit null.
    public var isNull: Bool {
        end - start == 2 && storage.bytes[Int(start)] == 0x22 && storage.bytes[Int(start) + 1] == 0x22
    }

    /// Absent, null, or the decoded text.
    public var value: HL7Value {
        if isEmpty { return .absent }
        if isNull { return .null }
        return .value(decoded)
    }

    /// The decoded text, nil when absent or null. For a composite element the delimiters stay in the text
    /// while escapes are decoded, which can be ambiguous: read its components instead.
    public var string: String? {
        isEmpty || isNull ? nil : decoded
    }

    /// The element as it appears in the message: delimiters and escape sequences kept, charset decoded.
    public var encoded: String {
        storage.bytes.withUnsafeBufferPointer { p in
            storage.charset.decodeChecked(UnsafeBufferPointer(rebasing: p[byteRange]))
        }
    }

    /// The raw bytes (in the message's character set, escapes not decoded).
    @inlinable public var rawBytes: ArraySlice<UInt8> { storage.bytes[Int(start)..<Int(end)] }

    private var decoded: String {
        literal ? encoded : HL7Escaping.decode(storage, byteRange)
    }

    // MARK: Navigation

    public func repetition(_ n: Int) -> HL7Element {
        level == .field && !literal ? child(n, storage.delimiters.repetition, .repetition) : selfOrAbsent(n)
    }

    public func component(_ n: Int) -> HL7Element {
        switch level {
        case .field where !literal: repetition(1).component(n)
        case .repetition: child(n, storage.delimiters.component, .component)
        default: selfOrAbsent(n)
        }
    }

    public func subcomponent(_ n: Int) -> HL7Element {
        switch level {
        case .field where !literal, .repetition: component(1).subcomponent(n)
        case .component: child(n, storage.delimiters.subcomponent, .subcomponent)
        default: selfOrAbsent(n)
        }
    }

    /// `component(c).subcomponent(s)`.
    public subscript(_ c: Int, _ s: Int = 1) -> HL7Element { component(c).subcomponent(s) }

    /// The n-th part one level down, as data types nest: a field's (first repetition's) components, a
    /// component's sub-components. Lets one data type view read both `CX` in a field and `HD` in a component.
    public func part(_ n: Int) -> HL7Element {
        switch level {
        case .field, .repetition: component(n)
        case .component: subcomponent(n)
        case .subcomponent: selfOrAbsent(n)
        }
    }

    /// Repetitions of a field; none if the field is empty.
    public var repetitions: HL7Parts {
        level == .field && !literal ? parts(storage.delimiters.repetition, .repetition) : whole
    }

    /// Components of the (first) repetition; none if empty.
    public var components: HL7Parts {
        switch level {
        case .field where !literal: repetition(1).components
        case .repetition: parts(storage.delimiters.component, .component)
        default: whole
        }
    }

    /// Sub-components of the (first) component; none if empty.
    public var subcomponents: HL7Parts {
        switch level {
        case .field where !literal, .repetition: component(1).subcomponents
        case .component: parts(storage.delimiters.subcomponent, .subcomponent)
        default: whole
        }
    }

    private func parts(_ separator: UInt8, _ childLevel: Level) -> HL7Parts {
        HL7Parts(storage: storage, start: start, end: end, separator: separator, level: childLevel)
    }

    /// The element itself as its only part (none when empty).
    private var whole: HL7Parts {
        HL7Parts(storage: storage, start: start, end: end, separator: nil, level: level, literal: literal)
    }

    private func selfOrAbsent(_ n: Int) -> HL7Element {
        n == 1 ? self : HL7Element(storage: storage, range: Int(end)..<Int(end), level: level, literal: literal)
    }

    private func child(_ n: Int, _ separator: UInt8, _ childLevel: Level) -> HL7Element {
        let range: Range<Int> = storage.bytes.withUnsafeBufferPointer { p in
            var i = Int(start)
            let stop = Int(end)
            var remaining = n - 1
            if remaining < 0 { return stop..<stop }
            while remaining > 0 {
                while i < stop, p[i] != separator { i += 1 }
                if i == stop { return stop..<stop }
                i += 1
                remaining -= 1
            }
            var j = i
            while j < stop, p[j] != separator { j += 1 }
            return i..<j
        }
        return HL7Element(storage: storage, range: range, level: childLevel)
    }

}
