import Foundation

/// Serialises `JSONNode`s like Foundation's writer: keys sorted, slashes unescaped, integral doubles
/// without `.0`, control characters as `\uXXXX` except the short escapes.
struct JSONByteWriter {
    var bytes: [UInt8] = []

    init() {
        bytes.reserveCapacity(1024)
    }

    mutating func write(_ node: JSONNode) {
        switch node {
        case .null: append("null")
        case .bool(let value): append(value ? "true" : "false")
        case .number(let text): append(text)
        case .string(let text): writeString(text)
        case .deferred(let box): write(box.node)
        case .array(let box):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in box.elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let box):
            bytes.append(UInt8(ascii: "{"))
            let entries = JSONKeyOrder.sorted(box.entries)
            for (index, entry) in entries.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(entry.key)
                bytes.append(UInt8(ascii: ":"))
                write(entry.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    private static let hex = Array("0123456789abcdef".utf8)

    private mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x00..<0x20:
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

/// Foundation's `.sortedKeys` order; duplicate keys keep the last value written, as Foundation's do.
enum JSONKeyOrder {
    static func sorted(_ entries: [(key: String, value: JSONNode)]) -> [(key: String, value: JSONNode)] {
        guard entries.count > 1 else { return entries }
        // Sort by key then position, and keep the last of equal keys.
        let order = entries.indices.sorted { a, b in
            entries[a].key == entries[b].key ? a < b : precedes(entries[a].key, entries[b].key)
        }
        var result: [(key: String, value: JSONNode)] = []
        result.reserveCapacity(entries.count)
        for index in order {
            if let last = result.last, last.key == entries[index].key {
                result[result.count - 1] = entries[index]
            } else {
                result.append(entries[index])
            }
        }
        return result
    }

    /// Plain Unicode scalar order (`10` before `9`, `ß` before `é`), which is what Foundation does here.
    static func precedes(_ a: String, _ b: String) -> Bool { a < b }
}
