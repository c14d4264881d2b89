import Foundation
import Testing
@testable import VigilModelCore

/// `VigilJSON.encode` must give byte for byte what Foundation's `JSONEncoder` gives with sorted keys and
/// unescaped slashes (the format every topic has carried so far); Foundation is the oracle here.
@Suite struct FastJSONEncoderTests {
    static func foundation(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func fast(_ value: some Encodable) throws -> String {
        String(decoding: try VigilJSON.encode(value), as: UTF8.self)
    }

    struct Nested: Codable {
        var name: String
        var optional: Int?
        var list: [Double]
        var map: [String: String]
        var intMap: [Int: Bool]
        var inner: [Nested]
    }

    enum Shape: Codable {
        case circle(radius: Double)
        case labelled(String, count: Int)
        case empty
    }

    class Base: Codable {
        var base = "b"
    }

    final class Derived: Base, @unchecked Sendable {
        var extra = 7
        enum Keys: String, CodingKey { case extra }
        override init() { super.init() }
        required init(from decoder: any Decoder) throws { try super.init(from: decoder) }
        override func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: Keys.self)
            try container.encode(extra, forKey: .extra)
            try super.encode(to: container.superEncoder())
        }
    }

    struct Primitives: Codable {
        var int8: Int8 = -8
        var uint16: UInt16 = 65535
        var int64: Int64 = .min
        var uint64: UInt64 = .max
        var float: Float = 0.1
        var date = Date(timeIntervalSince1970: 1_714_566_896.789)
        var data = Data([0, 1, 2, 250, 255])
        var url = URL(string: "https://example.org/a/b?c=d")!
        var decimal = Decimal(string: "12.3400")!
        var flag = false
        var none: String? = nil
    }

    @Test func clinicalEventsMatch() throws {
        for value in [EventValue.quantity(value: 72, unit: "/min"), .quantity(value: 37.25, unit: "Cel"), nil] {
            let event = Fixtures.event(value: value)
            #expect(try Self.fast(event) == Self.foundation(event))
        }
    }

    @Test func nestedStructuresMatch() throws {
        let keys = ["b", "a", "B", "A", "a10", "a2", "a1", "_x", "-y", "Z9", "z10", "é", "ß", "日本", "a b", "", "A_b", "a_B", "x1y22", "x1y3"]
        var map: [String: String] = [:]
        for (index, key) in keys.enumerated() { map[key] = "v\(index)" }
        let value = Nested(
            name: "quote \" backslash \\ slash / newline \n tab \t cr \r nul \u{0} bell \u{7} esc \u{1B} del \u{7F} é 🩺",
            optional: nil, list: [0, -0.0, 0.1, 72, 1e-7, 1e21, 1.5e300, 5e-324, .pi, -12.5, 123456789.123],
            map: map, intMap: [3: true, 10: false, 1: true],
            inner: [Nested(name: "", optional: 5, list: [], map: [:], intMap: [:], inner: [])])
        #expect(try Self.fast(value) == Self.foundation(value))
    }

    @Test func everyControlCharacterMatches() throws {
        let text = String(decoding: (0..<0x20).map { UInt8($0) } + [0x7F], as: UTF8.self)
        #expect(try Self.fast([text]) == Self.foundation([text]))
    }

    @Test func enumsClassesAndPrimitivesMatch() throws {
        let shapes: [Shape] = [.circle(radius: 2), .labelled("x", count: 3), .empty]
        #expect(try Self.fast(shapes) == Self.foundation(shapes))
        #expect(try Self.fast(Derived()) == Self.foundation(Derived()))
        #expect(try Self.fast(Primitives()) == Self.foundation(Primitives()))
        #expect(try Self.fast("top-level") == Self.foundation("top-level"))
        #expect(try Self.fast(42.0) == Self.foundation(42.0))
    }

    @Test func randomKeysSortLikeFoundation() throws {
        var generator = SystemRandomNumberGenerator()
        let alphabet = Array("aAbBzZ019_-.")
        for _ in 0..<200 {
            var map: [String: Int] = [:]
            for index in 0..<8 {
                let length = Int.random(in: 0...5, using: &generator)
                map[String((0..<length).map { _ in alphabet.randomElement(using: &generator)! })] = index
            }
            #expect(try Self.fast(map) == Self.foundation(map))
        }
    }

    @Test func nonFiniteNumbersAreRejectedWithTheirPath() {
        struct Bad: Codable { var value: Double }
        #expect(throws: ModelCoreError.self) { try VigilJSON.encode(Bad(value: .nan)) }
        #expect(throws: ModelCoreError.self) { try VigilJSON.encode([Double.infinity]) }
    }
}
