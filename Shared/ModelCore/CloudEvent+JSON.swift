import Foundation

extension CloudEvent {
    /// The structured-mode JSON form (`application/cloudevents+json`, CloudEvents JSON format 1.0), for HTTP
    /// receivers such as webhooks: the attributes as members and the JSON payload, unquoted, as `data`.
    public func structuredJSON() throws -> [UInt8] {
        var members: [(String, String)] = [("specversion", "1.0"), ("id", id), ("source", source), ("type", type)]
        if let subject { members.append(("subject", subject)) }
        if let time, let text = Timestamp.format(time) { members.append(("time", text)) }
        if let dataContentType { members.append(("datacontenttype", dataContentType)) }
        if let dataSchema { members.append(("dataschema", dataSchema)) }
        if let traceparent { members.append(("traceparent", traceparent.description)) }
        if let tracestate { members.append(("tracestate", tracestate)) }
        for key in extensions.keys.sorted() { members.append((key, extensions[key]!)) }
        var out: [UInt8] = Array("{".utf8)
        for (name, value) in members {
            out += try JSONSerialization.data(withJSONObject: name, options: [.fragmentsAllowed, .withoutEscapingSlashes])
            out += Array(":".utf8)
            out += try JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .withoutEscapingSlashes])
            out += Array(",".utf8)
        }
        // The payload is already JSON (VigilJSON); it is embedded, not re-encoded.
        return out + Array("\"data\":".utf8) + data + Array("}".utf8)
    }
}
