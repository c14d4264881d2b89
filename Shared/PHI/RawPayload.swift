import Foundation

/// An inbound message exactly as received (HL7 v2 ER7 or FHIR R4 JSON), e.g. for the identified
/// dead-letter topic. JSON: `{"format":"hl7v2","bytes":"<base64>"}`.
public struct RawPayload: Hashable, Sendable, Codable, PHIRedacted {
    public enum Format: String, Hashable, Sendable, Codable, CaseIterable {
        case hl7v2
        case fhirJSON = "fhir-json"
    }

    public var format: Format
    public var bytes: [UInt8]

    public init(format: Format, bytes: [UInt8]) {
        self.format = format
        self.bytes = bytes
    }

    /// Format and size only.
    public var description: String { "RawPayload(format: \(format.rawValue), bytes: \(bytes.count), redacted)" }

    private enum CodingKeys: String, CodingKey {
        case format, bytes
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        format = try c.decode(Format.self, forKey: .format)
        guard let data = Data(base64Encoded: try c.decode(String.self, forKey: .bytes)) else {
            throw DecodingError.dataCorruptedError(forKey: .bytes, in: c, debugDescription: "not base64")
        }
        bytes = Array(data)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(Data(bytes).base64EncodedString(), forKey: .bytes)
    }
}
