import Foundation

/// A gold span of the de-id corpora; `type` stays the corpus's string (`ORGANIZATION`, `AGE`…).
public struct GoldSpan: Sendable, Hashable, Codable {
    public var start: Int
    public var end: Int
    public var type: String
}

/// One line of a gold JSONL file (`../shared/data/deid/README.md`): offsets in Unicode scalars.
public struct GoldDocument: Sendable, Codable {
    public var patient: String
    public var note: String
    public var text: String
    public var phi: [GoldSpan]

    enum CodingKeys: String, CodingKey { case patient, note, text, phi }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        patient = try Self.string(c, .patient)
        note = try Self.string(c, .note)
        text = try c.decode(String.self, forKey: .text)
        phi = try c.decodeIfPresent([GoldSpan].self, forKey: .phi) ?? []
    }

    /// The scorer pairs documents by `str(patient)`, `str(note)`: accept numbers too.
    private static func string(_ c: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> String {
        if let s = try? c.decode(String.self, forKey: key) { return s }
        return String(try c.decode(Int.self, forKey: key))
    }

    /// Reads a gold JSONL file.
    public static func load(_ url: URL) throws -> [GoldDocument] {
        let data = try Data(contentsOf: url)
        let decoder = JSONDecoder()
        return try data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            line.allSatisfy({ $0 == 32 || $0 == 13 }) ? nil : try decoder.decode(GoldDocument.self, from: Data(line))
        }
    }
}

/// One line of a prediction file as `score_deid.py` reads it.
public struct PredictionLine: Codable, Sendable {
    public struct Span: Codable, Sendable {
        public var start: Int
        public var end: Int
        public var type: String
    }

    public var patient: String
    public var note: String
    public var spans: [Span]

    public init(document: GoldDocument, spans: [PHISpan]) {
        patient = document.patient
        note = document.note
        self.spans = spans.map { Span(start: $0.start, end: $0.end, type: $0.type.rawValue) }
    }
}
