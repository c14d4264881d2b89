import Foundation
import VigilModelCore
import VigilPHI

/// DocumentReference attachments and resource narratives → `note` events (for de-identification).
///
/// - DocumentReference: one note per `content` whose attachment carries inline `data` of a textual type
///   (`text/*`, HTML, XML such as CDA's `application/hl7-v3+xml`, or no contentType), decoded from base64 as
///   UTF-8 (markup stripped to text). Attachments by `url` are not fetched (the intake is pure)
///   and binary types are not mapped: both counted as ignored. Code: `type` (LOINC preferred), else
///   `category`; time: context.period.start, date, meta.lastUpdated, the receipt time.
/// - Narrative: `text.div` of a mapped Observation, Encounter or DocumentReference becomes a note when
///   `text.status` is `additional` (content beyond the structured data). `generated` and `extensions`
///   narratives restate what is mapped anyway and would only add identifiers to scrub; Patient narratives are
///   demographics, not clinical content. Both are counted as ignored.
extension FHIRMapper {
    static let documentMapped: Set<String> = ["status", "type", "category", "subject", "date", "content", "context"]

    mutating func mapDocumentReference(_ entry: FHIREntry, _ resource: FHIRJSON.Object) {
        let type = "DocumentReference"
        guard
            let patient = admittedPatient(
                entry, resource, type: type, skippedStatuses: ["entered-in-error"], mapped: Self.documentMapped)
        else { return }
        let context = FHIRJSON.object(resource["context"])
        let date = FHIRTime.parse(resource["date"] as? String)?.date
        let lastUpdated = FHIRTime.parse(FHIRJSON.object(resource["meta"])?["lastUpdated"] as? String)?.date
        let contextStart = FHIRTime.parse(FHIRJSON.object(context?["period"])?["start"] as? String)?.date
        guard let time = contextStart ?? date ?? lastUpdated ?? options.receivedAt else {
            unmapped(
                entry, type, .required, "DocumentReference.date or context.period.start is needed to time the note",
                at: entry.resourcePath + ".date")
            return
        }
        if contextStart == nil && date == nil { coverage.element(type, "date", .defaulted) }
        var code = Self.preferredCoding(FHIRJSON.object(resource["type"]))
        if code == nil {
            code = FHIRJSON.objects(resource["category"]).lazy.compactMap { Self.preferredCoding($0) }.first
            coverage.element(type, "type", .defaulted)
        }
        let coding = code ?? Coding(system: Self.resourceTypes, code: type)
        let encounter = visitNumber(FHIRJSON.objects(context?["encounter"]).first, from: entry)
        var produced = 0
        for (index, content) in FHIRJSON.objects(resource["content"]).enumerated() {
            let path = entry.resourcePath + ".content[\(index)].attachment"
            guard index < Self.narrativePosition, let attachment = FHIRJSON.object(content["attachment"]),
                let text = attachmentText(attachment, path: path, entry: entry)
            else { continue }
            emit(
                entry, sub: index, type: type, patient: patient, kind: .note, code: coding, value: .text(text),
                effective: time, recorded: date ?? lastUpdated ?? time, encounter: encounter)
            produced += 1
        }
        if produced == 0 {
            log.warning(
                .informational, "the DocumentReference has no inline textual attachment; no note produced",
                at: entry.resourcePath + ".content")
        }
        coverage.resource(type, produced > 0 ? .mapped : .ignored)
        narrativeNote(entry, resource, type: type, patient: patient, time: time, encounter: encounter)
    }

    private mutating func attachmentText(_ attachment: FHIRJSON.Object, path: String, entry: FHIREntry) -> String? {
        let type = "DocumentReference"
        let contentType = (attachment["contentType"] as? String ?? "").lowercased()
        let parameters = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        let mime = parameters.first ?? ""
        let charset = parameters.dropFirst().first { $0.hasPrefix("charset=") }?.dropFirst("charset=".count)
        // HTML, XHTML and XML documents (CDA is application/hl7-v3+xml): their text, tags stripped.
        let isMarkup =
            mime == "text/html" || mime == "application/xml" || mime == "text/xml" || mime.hasSuffix("+xml")
        guard mime.isEmpty || mime.hasPrefix("text/") || isMarkup else {
            coverage.element(type, "content.attachment.contentType", .ignored)
            return nil
        }
        guard let data = attachment["data"] as? String else {
            coverage.element(type, attachment["url"] != nil ? "content.attachment.url" : "content.attachment", .ignored)
            return nil
        }
        if let charset, !["utf-8", "utf8", "us-ascii", "\"utf-8\""].contains(String(charset)) {
            unmappedContent(entry, "attachment charset is not UTF-8", at: path + ".contentType")
            return nil
        }
        guard let bytes = Data(base64Encoded: data, options: .ignoreUnknownCharacters) else {
            unmappedContent(entry, "attachment data is not valid base64", at: path + ".data")
            return nil
        }
        guard let decoded = String(validating: Array(bytes), as: UTF8.self) else {
            unmappedContent(entry, "attachment data is not UTF-8 text", at: path + ".data")
            return nil
        }
        let text = isMarkup ? FHIRXHTML.plainText(decoded) : decoded.trimmingCharacters(in: .whitespacesAndNewlines)
        if text.isEmpty { coverage.element(type, "content.attachment.data", .ignored) }
        return text.isEmpty ? nil : text
    }

    private mutating func unmappedContent(_ entry: FHIREntry, _ diagnostics: String, at path: String) {
        coverage.element("DocumentReference", "content.attachment", .ignored)
        if isSingleResource {
            log.error(.invalid, diagnostics, at: path, reason: .encodingError)
        } else {
            log.warning(.invalid, diagnostics + "; content not ingested", at: path)
        }
    }

    /// A note from `text.div` when the narrative is `additional`.
    mutating func narrativeNote(
        _ entry: FHIREntry, _ resource: FHIRJSON.Object, type: String, patient: IdentifiedPatient, time: Date,
        encounter: String?
    ) {
        guard let narrative = FHIRJSON.object(resource["text"]) else { return }
        guard narrative["status"] as? String == "additional", let div = narrative["div"] as? String else {
            coverage.element(type, "text.div", .ignored)
            return
        }
        let text = FHIRXHTML.plainText(div)
        guard !text.isEmpty else {
            coverage.element(type, "text.div", .ignored)
            return
        }
        coverage.element(type, "text.div", .mapped)
        emit(
            entry, sub: Self.narrativePosition, type: type, patient: patient, kind: .note,
            code: Coding(system: Self.resourceTypes, code: type, display: "Narrative"), value: .text(text),
            effective: time, recorded: time, encounter: encounter)
    }
}
