import Foundation

/// A versioned payload that travels as the `data` of a CloudEvent with type
/// `<cloudEventTypePrefix>.<cloudEventTypeName>.v<major>`, e.g. `org.vigil.clinical.observation.v1`.
public protocol CloudEventPayload: VersionedPayload {
    /// Reverse-DNS prefix, e.g. `org.vigil.clinical`.
    static var cloudEventTypePrefix: String { get }
    /// The variable, dot-free segment, e.g. the event kind.
    var cloudEventTypeName: String { get }
    var cloudEventID: String { get }
    var cloudEventTime: Date { get }
    /// The `subject` attribute. Must not be an identifier: headers are read by every consumer and tool.
    var cloudEventSubject: String? { get }
}

extension CloudEventPayload {
    public var cloudEventType: String {
        "\(Self.cloudEventTypePrefix).\(cloudEventTypeName).v\(Self.schemaVersion.major)"
    }

    /// The type's name segment, after checking prefix and major version.
    static func cloudEventTypeName(parsing type: String) throws -> String {
        let prefix = cloudEventTypePrefix + "."
        guard type.hasPrefix(prefix), let dot = type.lastIndex(of: ".") else {
            throw ModelCoreError(.invalidAttribute, field: "type", reason: "not a type this decoder reads")
        }
        let suffix = type[type.index(after: dot)...]
        let name = type[type.index(type.startIndex, offsetBy: prefix.count)..<dot]
        guard suffix.first == "v", let major = Int(suffix.dropFirst()), major >= 0, suffix.count <= 7,
            !name.isEmpty, !name.contains(".")
        else {
            throw ModelCoreError(.invalidAttribute, field: "type", reason: "expected <prefix>.<name>.v<major>")
        }
        guard major == schemaVersion.major else {
            throw ModelCoreError(
                .unsupportedSchemaVersion, field: "type", version: SchemaVersion(major: major, minor: 0),
                reason: "unknown major version in type")
        }
        return String(name)
    }
}

extension CloudEvent {
    /// Wraps a payload: JSON data, type and schema from the payload, `source` naming the producer.
    public init<P: CloudEventPayload>(
        payload: P, source: String, traceparent: TraceParent? = nil, tracestate: String? = nil,
        extensions: [String: String] = [:]
    ) throws {
        self.init(
            id: payload.cloudEventID, source: source, type: payload.cloudEventType, time: payload.cloudEventTime,
            subject: payload.cloudEventSubject, dataSchema: P.schema.uri, dataContentType: CloudEvent.jsonContentType,
            extensions: extensions, traceparent: traceparent, tracestate: tracestate,
            data: try VigilJSON.encode(payload))
    }

    /// Kafka headers and value for a payload — what producers hand to the Kafka module.
    public static func encode<P: CloudEventPayload>(
        event: P, source: String, traceparent: TraceParent? = nil, tracestate: String? = nil,
        extensions: [String: String] = [:]
    ) throws -> (headers: KafkaHeaderList, data: [UInt8]) {
        try CloudEvent(
            payload: event, source: source, traceparent: traceparent, tracestate: tracestate, extensions: extensions
        ).kafkaBinary()
    }

    /// Decodes the data as `P`, checking content type, type version, data schema and payload schema,
    /// then that `id`, `type` and `subject` agree with the payload.
    public func payload<P: CloudEventPayload>(as _: P.Type = P.self) throws -> P {
        if let dataContentType {
            let media = (dataContentType.split(separator: ";", maxSplits: 1).first ?? "")
                .trimmingCharacters(in: .whitespaces)
            guard media.lowercased() == CloudEvent.jsonContentType else {
                throw ModelCoreError(.unsupportedContentType, field: "content-type", reason: "expected JSON")
            }
        }
        let name = try P.cloudEventTypeName(parsing: type)
        if let dataSchema {
            guard let schema = SchemaIdentifier(uri: dataSchema) else {
                throw ModelCoreError(.invalidAttribute, field: "dataschema", reason: "not a Vigil schema URI")
            }
            try P.checkSchema(schema, field: "dataschema")
        }
        let payload = try VigilJSON.decode(P.self, from: data)
        guard payload.cloudEventID == id else {
            throw ModelCoreError(.invalidAttribute, field: "id", reason: "does not match the data")
        }
        guard payload.cloudEventTypeName == name else {
            throw ModelCoreError(.invalidAttribute, field: "type", reason: "does not match the data")
        }
        if let subject, subject != payload.cloudEventSubject {
            throw ModelCoreError(.invalidAttribute, field: "subject", reason: "does not match the data")
        }
        return payload
    }
}

extension CloudEventPayload {
    /// Decodes a Kafka record (binary-mode CloudEvent) into this payload type.
    public static func decode(headers: KafkaHeaderList, data: [UInt8]) throws -> Self {
        try decodeWithEnvelope(headers: headers, data: data).payload
    }

    /// As `decode`, also returning the envelope (trace context, extensions) to propagate downstream.
    public static func decodeWithEnvelope(
        headers: KafkaHeaderList, data: [UInt8]
    ) throws -> (payload: Self, envelope: CloudEvent) {
        let envelope = try CloudEvent(kafkaHeaders: headers, data: data)
        return (try envelope.payload(as: Self.self), envelope)
    }
}

extension ClinicalEvent: CloudEventPayload {
    public static let cloudEventTypePrefix = "org.vigil.clinical"
    public var cloudEventTypeName: String { kind.rawValue }
    public var cloudEventID: String { id.rawValue }
    public var cloudEventTime: Date { effectiveTime }
    public var cloudEventSubject: String? { patient.rawValue }
}
