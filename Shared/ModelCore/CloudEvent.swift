import Foundation

/// A CloudEvents 1.0 event: context attributes plus opaque `data` bytes.
///
/// Transport-neutral; `CloudEvent+Kafka.swift` maps it to Kafka headers and value (binary content mode).
/// W3C trace context travels beside it, as the transport's own `traceparent`/`tracestate` headers.
public struct CloudEvent: Hashable, Sendable {
    /// The spec version this build writes; it reads any `1.x`.
    public static let specVersion = SchemaVersion(major: 1, minor: 0)
    public static let jsonContentType = "application/json"

    public var id: String
    /// URI-reference of the producer, e.g. `urn:vigil:deid`.
    public var source: String
    /// Reverse-DNS type with a major-version suffix, e.g. `org.vigil.clinical.observation.v1`.
    public var type: String
    public var time: Date?
    public var subject: String?
    /// URI of the data's schema, e.g. `urn:vigil:schema:vigil.clinical-event/1.0`.
    public var dataSchema: String?
    /// The media type of `data`, carried as the `content-type` header.
    public var dataContentType: String?
    /// Extension attributes by name (lower-case a–z, 0–9). Kafka headers carry every value as a string.
    public var extensions: [String: String]
    public var traceparent: TraceParent?
    public var tracestate: String?
    public var data: [UInt8]

    public init(
        id: String, source: String, type: String, time: Date? = nil, subject: String? = nil,
        dataSchema: String? = nil, dataContentType: String? = CloudEvent.jsonContentType,
        extensions: [String: String] = [:], traceparent: TraceParent? = nil, tracestate: String? = nil,
        data: [UInt8]
    ) {
        self.id = id
        self.source = source
        self.type = type
        self.time = time.map(Timestamp.normalized)
        self.subject = subject
        self.dataSchema = dataSchema
        self.dataContentType = dataContentType
        self.extensions = extensions
        self.traceparent = traceparent
        self.tracestate = tracestate
        self.data = data
    }

    /// Attribute names defined by the core spec; extensions may not reuse them.
    static let reservedNames: Set<String> = [
        "specversion", "id", "source", "type", "time", "subject", "dataschema", "datacontenttype", "data",
    ]

    /// Extension names: lower-case ASCII letters and digits (CloudEvents 1.0 §3.1.1), at most 20 characters.
    public static func isValidExtensionName(_ name: String) -> Bool {
        (1...20).contains(name.utf8.count)
            && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) }
            && !reservedNames.contains(name)
    }
}

/// A W3C Trace Context `traceparent` value (`00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>`).
public struct TraceParent: Hashable, Sendable, LosslessStringConvertible {
    public let rawValue: String

    /// Validates per W3C Trace Context level 1: lower-case hex, version `ff` forbidden, all-zero ids
    /// forbidden; later versions may append `-…` fields after the first 55 characters.
    public init?(_ description: String) {
        let bytes = Array(description.utf8)
        guard bytes.count >= 55 else { return nil }
        let dashes = [2, 35, 52]
        for (index, byte) in bytes.prefix(55).enumerated() {
            if dashes.contains(index) {
                guard byte == UInt8(ascii: "-") else { return nil }
            } else {
                guard (48...57).contains(byte) || (97...102).contains(byte) else { return nil }
            }
        }
        let version = description.prefix(2)
        guard version != "ff" else { return nil }
        if version == "00" {
            guard bytes.count == 55 else { return nil }
        } else if bytes.count > 55 {
            guard bytes[55] == UInt8(ascii: "-") else { return nil }
        }
        guard bytes[3..<35].contains(where: { $0 != UInt8(ascii: "0") }),
            bytes[36..<52].contains(where: { $0 != UInt8(ascii: "0") })
        else { return nil }
        rawValue = description
    }

    public var description: String { rawValue }
    public var traceID: Substring { rawValue.dropFirst(3).prefix(32) }
    public var parentID: Substring { rawValue.dropFirst(36).prefix(16) }
    public var isSampled: Bool { rawValue.dropFirst(53).prefix(2).last.map { "13579bdf".contains($0) } ?? false }
}
