/// A `text[]` parameter, written as an array literal with every element quoted, so batches can be passed
/// as one bound value (`unnest($1::text[])`) instead of building SQL.
public struct PostgresTextArray: PostgresEncodable {
    public var elements: [String?]

    public init(_ elements: [String?]) {
        self.elements = elements
    }

    public init(_ elements: [String]) {
        self.elements = elements.map { $0 }
    }

    public static var postgresDataType: PostgresDataType { .unknown }

    /// Built byte by byte: a quote and a backslash are ASCII, so never part of a multi-byte UTF-8 sequence
    /// (walking Characters instead was a large share of vigil-infer's CPU for the risk-record batch).
    public var postgresText: String? {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(2 + elements.reduce(0) { $0 + ($1?.utf8.count ?? 4) + 3 })
        for (index, element) in elements.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            guard let element else {
                bytes.append(contentsOf: "NULL".utf8)
                continue
            }
            bytes.append(UInt8(ascii: "\""))
            for byte in element.utf8 {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { bytes.append(UInt8(ascii: "\\")) }
                bytes.append(byte)
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
