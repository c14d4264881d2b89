/// The repetitions, components or sub-components of an element, found as they are iterated: no array is
/// built, so reading every part of a message allocates nothing per part.
public struct HL7Parts: Collection, Sendable {
    let storage: HL7Storage
    let start: Int32
    let end: Int32
    /// nil: the element is its own single part.
    let separator: UInt8?
    let level: HL7Element.Level
    var literal: Bool = false

    /// A part's byte range; `endIndex` lies past the element.
    public struct Index: Comparable, Sendable {
        let lower: Int32
        let upper: Int32

        public static func < (a: Index, b: Index) -> Bool { a.lower < b.lower }
    }

    public var startIndex: Index {
        start == end ? endIndex : Index(lower: start, upper: partEnd(from: start))
    }

    public var endIndex: Index { Index(lower: end + 1, upper: end + 1) }

    public func index(after i: Index) -> Index {
        i.upper >= end ? endIndex : Index(lower: i.upper + 1, upper: partEnd(from: i.upper + 1))
    }

    public subscript(position: Index) -> HL7Element {
        HL7Element(storage: storage, range: Int(position.lower)..<Int(position.upper), level: level, literal: literal)
    }

    private func partEnd(from index: Int32) -> Int32 {
        guard let separator else { return end }
        return storage.bytes.withUnsafeBufferPointer { p in
            var j = Int(index)
            let stop = Int(end)
            while j < stop, p[j] != separator { j += 1 }
            return Int32(j)
        }
    }
}
