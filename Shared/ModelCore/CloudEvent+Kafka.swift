import Foundation

/// Kafka record headers as the Kafka module carries them: ordered, keys may repeat, values are bytes.
public typealias KafkaHeaderList = [(key: String, value: [UInt8])]

/// CloudEvents Kafka protocol binding, binary content mode: attributes as `ce_<name>` headers (UTF-8),
/// `datacontenttype` as `content-type`, `data` as the record value as-is.
extension CloudEvent {
    static let attributePrefix = "ce_"
    static let contentTypeHeader = "content-type"
    static let traceparentHeader = "traceparent"
    static let tracestateHeader = "tracestate"

    /// Headers in a fixed order (core attributes, sorted extensions, content type, trace context) and data.
    /// - Throws: `.invalidAttribute` naming an empty required attribute or a malformed extension name.
    public func kafkaBinary() throws -> (headers: KafkaHeaderList, data: [UInt8]) {
        var headers: KafkaHeaderList = []
        func add(_ key: String, _ text: String) { headers.append((key, Array(text.utf8))) }
        for (name, value) in [("id", id), ("source", source), ("type", type)] where value.isEmpty {
            throw ModelCoreError(.invalidAttribute, field: name, reason: "must not be empty")
        }
        add("ce_specversion", Self.specVersion.description)
        add("ce_id", id)
        add("ce_source", source)
        add("ce_type", type)
        if let time {
            guard let text = Timestamp.format(time) else {
                throw ModelCoreError(.invalidAttribute, field: "time", reason: "outside years 0000-9999")
            }
            add("ce_time", text)
        }
        for (name, value) in [("subject", subject), ("dataschema", dataSchema)] {
            guard let value else { continue }
            guard !value.isEmpty else { throw ModelCoreError(.invalidAttribute, field: name, reason: "empty") }
            add(Self.attributePrefix + name, value)
        }
        for name in extensions.keys.sorted() {
            guard Self.isValidExtensionName(name) else {
                throw ModelCoreError(.invalidAttribute, field: name, reason: "invalid extension attribute name")
            }
            add(Self.attributePrefix + name, extensions[name]!)
        }
        if let dataContentType { add(Self.contentTypeHeader, dataContentType) }
        if let traceparent { add(Self.traceparentHeader, traceparent.rawValue) }
        if let tracestate { add(Self.tracestateHeader, tracestate) }
        return (headers, data)
    }

    /// Reads a binary-mode CloudEvent. Headers that are neither `ce_*`, `content-type` nor trace context
    /// are ignored; an invalid `traceparent` is dropped (W3C: restart the trace rather than fail).
    /// - Throws: `.missingAttribute`/`.invalidAttribute` naming the attribute, `.unsupportedSchemaVersion`
    ///   for a spec version other than 1.x, `.unsupportedContentType` for structured-mode messages.
    public init(kafkaHeaders headers: KafkaHeaderList, data: [UInt8]) throws {
        var attributes: [String: String] = [:]
        var contentType: String?
        var trace: [String: [String]] = [:]
        for header in headers {
            let key = header.key.lowercased()
            let isAttribute = key.hasPrefix(Self.attributePrefix)
            let isTrace = key == Self.traceparentHeader || key == Self.tracestateHeader
            guard isAttribute || isTrace || key == Self.contentTypeHeader else { continue }
            let name = isAttribute ? String(key.dropFirst(Self.attributePrefix.count)) : key
            guard let text = String(validating: header.value, as: UTF8.self) else {
                throw ModelCoreError(.invalidAttribute, field: name, reason: "header value is not UTF-8")
            }
            if isTrace {
                trace[key, default: []].append(text)
            } else if key == Self.contentTypeHeader {
                guard contentType == nil else {
                    throw ModelCoreError(.invalidAttribute, field: name, reason: "header repeated")
                }
                contentType = text
            } else {
                guard attributes.updateValue(text, forKey: name) == nil else {
                    throw ModelCoreError(.invalidAttribute, field: name, reason: "header repeated")
                }
            }
        }

        guard let spec = attributes.removeValue(forKey: "specversion") else {
            throw ModelCoreError(.missingAttribute, field: "specversion")
        }
        guard let version = SchemaVersion(spec) else {
            throw ModelCoreError(.invalidAttribute, field: "specversion", reason: "not a major.minor version")
        }
        guard Self.specVersion.canRead(version) else {
            throw ModelCoreError(
                .unsupportedSchemaVersion, field: "specversion", version: version,
                reason: "only CloudEvents 1.x is supported")
        }
        if let contentType, contentType.lowercased().hasPrefix("application/cloudevents") {
            throw ModelCoreError(
                .unsupportedContentType, field: Self.contentTypeHeader, reason: "structured mode is not supported")
        }
        func required(_ name: String) throws -> String {
            guard let value = attributes.removeValue(forKey: name) else {
                throw ModelCoreError(.missingAttribute, field: name)
            }
            guard !value.isEmpty else { throw ModelCoreError(.invalidAttribute, field: name, reason: "empty") }
            return value
        }
        func optional(_ name: String) throws -> String? {
            guard let value = attributes.removeValue(forKey: name) else { return nil }
            guard !value.isEmpty else { throw ModelCoreError(.invalidAttribute, field: name, reason: "empty") }
            return value
        }
        let id = try required("id")
        let source = try required("source")
        let type = try required("type")
        var time: Date?
        if let text = try optional("time") {
            guard let parsed = Timestamp.parse(text) else {
                throw ModelCoreError(.invalidAttribute, field: "time", reason: "not an RFC 3339 timestamp")
            }
            time = parsed
        }
        let subject = try optional("subject")
        let dataSchema = try optional("dataschema")
        for name in attributes.keys.sorted() where !Self.isValidExtensionName(name) {
            throw ModelCoreError(.invalidAttribute, field: name, reason: "not a valid extension attribute here")
        }
        // W3C: several traceparent headers make the context invalid.
        let traceparent = trace[Self.traceparentHeader].flatMap { $0.count == 1 ? TraceParent($0[0]) : nil }
        self.init(
            id: id, source: source, type: type, time: time, subject: subject, dataSchema: dataSchema,
            dataContentType: contentType, extensions: attributes, traceparent: traceparent,
            tracestate: traceparent == nil ? nil : trace[Self.tracestateHeader]?.joined(separator: ","),
            data: data)
    }
}
