import Foundation

/// `Content-Type` rules: FHIR JSON (R4) in UTF-8 only.
enum FHIRContentType {
    struct Failure {
        let reason: FHIRDeadLetterReason
        let code: FHIROperationOutcome.Issue.Code
        let diagnostics: String
    }

    static let json: Set<String> = ["application/fhir+json", "application/json", "application/json+fhir"]
    static let xml: Set<String> = ["application/fhir+xml", "application/xml", "text/xml", "application/xml+fhir"]
    static let ndjson: Set<String> = ["application/fhir+ndjson", "application/ndjson", "application/x-ndjson"]

    /// nil when acceptable (an absent content type is sniffed from the body).
    static func check(_ contentType: String?) -> Failure? {
        guard let contentType, !contentType.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        let parts = contentType.lowercased().split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let media = parts.first ?? ""
        if xml.contains(media) {
            return Failure(
                reason: .unsupportedMessage, code: .notSupported,
                diagnostics: "FHIR XML is not accepted; send FHIR JSON (application/fhir+json)")
        }
        if ndjson.contains(media) {
            return Failure(
                reason: .parseError, code: .notSupported,
                diagnostics: "NDJSON is not accepted; send one resource or a Bundle as FHIR JSON")
        }
        guard json.contains(media) else {
            return Failure(
                reason: .unsupportedMessage, code: .notSupported,
                diagnostics: "the content type is not accepted; send application/fhir+json")
        }
        for parameter in parts.dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
            }
            guard pair.count == 2 else { continue }
            if pair[0] == "charset", pair[1] != "utf-8", pair[1] != "utf8" {
                return Failure(
                    reason: .encodingError, code: .notSupported, diagnostics: "only the UTF-8 charset is accepted")
            }
            if pair[0] == "fhirversion", !pair[1].hasPrefix("4.0") {
                return Failure(
                    reason: .unsupportedMessage, code: .notSupported, diagnostics: "only FHIR R4 (4.0) is accepted")
            }
        }
        return nil
    }
}

/// A JSON syntax error described by position only (Foundation's messages may quote the offending text).
enum FHIRParseDiagnostics {
    static func describe(_ error: any Error, body: [UInt8], start: Int) -> String {
        if looksLikeNDJSON(body, start: start) {
            return "the body is NDJSON (one resource per line); send one resource or a Bundle as FHIR JSON"
        }
        let message = ((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String) ?? ""
        guard let range = message.range(of: "character "),
            let offset = Int(message[range.upperBound...].prefix(while: { $0.isNumber }))
        else { return "the body is not valid JSON" }
        var line = 1
        var column = 1
        for byte in body[start..<min(body.count, start + offset)] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return "the body is not valid JSON: syntax error near line \(line), column \(column)"
    }

    /// Several lines, the first of which is a JSON object on its own.
    private static func looksLikeNDJSON(_ body: [UInt8], start: Int) -> Bool {
        let lines = body[start...].split(separator: 0x0A).filter { line in line.contains { !FHIRLexical.isSpace($0) } }
        guard lines.count > 1, let first = lines.first else { return false }
        return (try? JSONSerialization.jsonObject(with: Data(first))) is [String: Any]
    }
}
