/// The repetitions, components or sub-components of an element, found as they are iterated: no array is
/// built, so reading every part of a message allocates nothing per part.
public struct HL7Parts: Collection, Sendable {
    @usableFromInline let storage: HL7Storage
    @usableFromInline let start: Int32
    @usableFromInline let end: Int32
    /// nil: the element is its own single part.
    @usableFromInline let separator: UInt8?
    @usableFromInline let level: HL7Element.Level
    @usableFromInline var literal: Bool = false

    @usableFromInline
    init(storage: HL7Storage, start: Int32, end: Int32, separator: UInt8?, level: HL7Element.Level, literal: Bool = false) {
        self.storage = storage
        self.start = start
        self.end = end
        self.separator = separator
        self.level = level
        self.literal = literal
    }

    /// A part's byte range; `endIndex` lies past the element.
    public struct Index: Comparable, Sendable {
        @usableFromInline let lower: Int32
        @usableFromInline let upper: Int32

        @usableFromInline init(lower: Int32, upper: Int32) {
            self.lower = lower
            self.upper = upper
        }

        @inlinable public static func < (a: Index, b: Index) -> Bool { a.lower < b.lower }
    }

    @inlinable public var startIndex: Index {
        start == end ? endIndex : Index(lower: start, upper: partEnd(from: start))
    }

    @inlinable public var endIndex: Index { Index(lower: end + 1, upper: end + 1) }

    @inlinable public func index(after i: Index) -> Index {
        i.upper >= end ? endIndex : Index(lower: i.upper + 1, upper: partEnd(from: i.upper + 1))
    }

    @inlinable public subscript(position: Index) -> HL7Element {
        HL7Element(storage: storage, range: Int(position.lower)..<Int(position.upper), level: level, literal: literal)
    }

    @inlinable func partEnd(from index: Int32) -> Int32 {
        guard let separator else { return end }
        return storage.bytes.withUnsafeBufferPointer { p in
            var j = Int(index)
            let stop = Int(end)
            while j < stop, p[j] != separator { j += 1 }
            return Int32(j)
        }
    }
}
