import Foundation

/// A JSON encoder producing the same bytes as Foundation's `JSONEncoder` with `[.sortedKeys,
/// .withoutEscapingSlashes]` and default strategies, at a fraction of the cost: Foundation's boxes every
/// value and dynamic-casts each one, which made event encoding a quarter of the MLLP path's CPU time.
/// Equivalence is checked against Foundation in `FastJSONEncoderTests`.
enum FastJSONEncoder {
    static func encode(_ value: some Encodable) throws -> [UInt8] {
        let node = try TreeEncoder.node(for: value, codingPath: [])
        var writer = JSONByteWriter()
        writer.write(node)
        return writer.bytes
    }
}

/// An encoded value; objects and arrays are boxes so nested containers can fill them after creation.
enum JSONNode {
    case null
    case bool(Bool)
    /// Already formatted.
    case number(String)
    case string(String)
    case object(JSONObjectBox)
    case array(JSONArrayBox)
    /// Filled later by a super encoder.
    case deferred(JSONDeferredBox)
}

final class JSONObjectBox {
    var entries: [(key: String, value: JSONNode)] = []
}

final class JSONArrayBox {
    var elements: [JSONNode] = []
}

final class JSONDeferredBox {
    var node: JSONNode = .object(JSONObjectBox())
}

final class TreeEncoder: Encoder {
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }
    var root: JSONNode?

    init(codingPath: [any CodingKey]) {
        self.codingPath = codingPath
    }

    /// The node for any value: primitives and Foundation's special cases directly, others through `encode(to:)`.
    static func node<T: Encodable>(for value: T, codingPath: [any CodingKey]) throws -> JSONNode {
        // Metatype checks, not `as?` casts: a failed dynamic cast per value is what makes Foundation's slow.
        if T.self == String.self { return .string(unsafeBitCast(value, to: String.self)) }
        if T.self == Int.self { return .number(String(unsafeBitCast(value, to: Int.self))) }
        if T.self == Double.self { return try number(unsafeBitCast(value, to: Double.self), codingPath) }
        if T.self == Bool.self { return .bool(unsafeBitCast(value, to: Bool.self)) }
        if T.self == Int64.self { return .number(String(unsafeBitCast(value, to: Int64.self))) }
        if T.self == Int32.self { return .number(String(unsafeBitCast(value, to: Int32.self))) }
        if T.self == UInt8.self { return .number(String(unsafeBitCast(value, to: UInt8.self))) }
        if T.self == Float.self { return try number(unsafeBitCast(value, to: Float.self), codingPath) }
        if T.self == Date.self {
            return try number(unsafeBitCast(value, to: Date.self).timeIntervalSinceReferenceDate, codingPath)
        }
        if T.self == Data.self { return .string((value as! Data).base64EncodedString()) }
        if T.self == URL.self { return .string((value as! URL).absoluteString) }
        if T.self == Decimal.self { return .number((value as! Decimal).description) }
        let encoder = TreeEncoder(codingPath: codingPath)
        try value.encode(to: encoder)
        return encoder.root ?? .object(JSONObjectBox())
    }

    /// Foundation's format: `description`, without a trailing `.0`; non-finite values are an error.
    static func number<F: BinaryFloatingPoint & LosslessStringConvertible>(
        _ value: F, _ codingPath: [any CodingKey]
    ) throws -> JSONNode {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: codingPath, debugDescription: "non-finite number"))
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        return .number(text)
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let box: JSONObjectBox
        if case .object(let existing) = root {
            box = existing
        } else {
            box = JSONObjectBox()
            root = .object(box)
        }
        return KeyedEncodingContainer(JSONKeyedContainer<Key>(box: box, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let box: JSONArrayBox
        if case .array(let existing) = root {
            box = existing
        } else {
            box = JSONArrayBox()
            root = .array(box)
        }
        return JSONUnkeyedContainer(box: box, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONSingleValueContainer(encoder: self)
    }
}

struct JSONKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let box: JSONObjectBox
    let codingPath: [any CodingKey]

    private func put(_ node: JSONNode, _ key: Key) { box.entries.append((key.stringValue, node)) }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws {
        put(try TreeEncoder.number(value, codingPath + [key]), key)
    }
    mutating func encode(_ value: Float, forKey key: Key) throws {
        put(try TreeEncoder.number(value, codingPath + [key]), key)
    }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.number(String(value)), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        put(try TreeEncoder.node(for: value, codingPath: codingPath + [key]), key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        put(.object(nested), key)
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(box: nested, codingPath: codingPath + [key]))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        put(.array(nested), key)
        return JSONUnkeyedContainer(box: nested, codingPath: codingPath + [key])
    }

    mutating func superEncoder() -> any Encoder { superEncoder(named: "super") }

    mutating func superEncoder(forKey key: Key) -> any Encoder { superEncoder(named: key.stringValue) }

    private func superEncoder(named name: String) -> any Encoder {
        let deferred = JSONDeferredBox()
        box.entries.append((name, .deferred(deferred)))
        return DeferredEncoder(box: deferred, codingPath: codingPath)
    }
}

struct JSONUnkeyedContainer: UnkeyedEncodingContainer {
    let box: JSONArrayBox
    let codingPath: [any CodingKey]
    var count: Int { box.elements.count }

    private var index: any CodingKey { JSONIndexKey(count) }

    mutating func encodeNil() throws { box.elements.append(.null) }
    mutating func encode(_ value: Bool) throws { box.elements.append(.bool(value)) }
    mutating func encode(_ value: String) throws { box.elements.append(.string(value)) }
    mutating func encode(_ value: Double) throws { box.elements.append(try TreeEncoder.number(value, codingPath + [index])) }
    mutating func encode(_ value: Float) throws { box.elements.append(try TreeEncoder.number(value, codingPath + [index])) }
    mutating func encode(_ value: Int) throws { box.elements.append(.number(String(value))) }
    mutating func encode(_ value: Int64) throws { box.elements.append(.number(String(value))) }
    mutating func encode(_ value: UInt8) throws { box.elements.append(.number(String(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        box.elements.append(try TreeEncoder.node(for: value, codingPath: codingPath + [index]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let nested = JSONObjectBox()
        let path = codingPath + [index]
        box.elements.append(.object(nested))
        return KeyedEncodingContainer(JSONKeyedContainer<NestedKey>(box: nested, codingPath: path))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let nested = JSONArrayBox()
        let path = codingPath + [index]
        box.elements.append(.array(nested))
        return JSONUnkeyedContainer(box: nested, codingPath: path)
    }

    mutating func superEncoder() -> any Encoder {
        let deferred = JSONDeferredBox()
        let path = codingPath + [index]
        box.elements.append(.deferred(deferred))
        return DeferredEncoder(box: deferred, codingPath: path)
    }
}

struct JSONSingleValueContainer: SingleValueEncodingContainer {
    let encoder: TreeEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }

    mutating func encodeNil() throws { encoder.root = .null }
    mutating func encode(_ value: Bool) throws { encoder.root = .bool(value) }
    mutating func encode(_ value: String) throws { encoder.root = .string(value) }
    mutating func encode(_ value: Double) throws { encoder.root = try TreeEncoder.number(value, codingPath) }
    mutating func encode(_ value: Float) throws { encoder.root = try TreeEncoder.number(value, codingPath) }
    mutating func encode(_ value: Int) throws { encoder.root = .number(String(value)) }
    mutating func encode(_ value: Int64) throws { encoder.root = .number(String(value)) }
    mutating func encode(_ value: UInt8) throws { encoder.root = .number(String(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        encoder.root = try TreeEncoder.node(for: value, codingPath: codingPath)
    }
}

/// A super encoder: its result lands in the box it was created with.
final class DeferredEncoder: Encoder {
    let box: JSONDeferredBox
    let inner: TreeEncoder
    var codingPath: [any CodingKey] { inner.codingPath }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(box: JSONDeferredBox, codingPath: [any CodingKey]) {
        self.box = box
        self.inner = TreeEncoder(codingPath: codingPath)
    }

    deinit { box.node = inner.root ?? .object(JSONObjectBox()) }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        let container = inner.container(keyedBy: type)
        box.node = inner.root!
        return container
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        let container = inner.unkeyedContainer()
        box.node = inner.root!
        return container
    }

    func singleValueContainer() -> any SingleValueEncodingContainer { inner.singleValueContainer() }
}

struct JSONIndexKey: CodingKey {
    var stringValue: String { "Index \(index)" }
    var intValue: Int? { index }
    let index: Int

    init(_ index: Int) { self.index = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.index = intValue }
}
