/// One bundle entry (or the single resource of a request) and whether Vigil ingests it.
struct FHIREntry {
    enum Disposition: Equatable {
        case ingest
        /// A request Vigil does not execute (read, delete, patch, operation, search) or a search outcome.
        case notExecuted(String)
        /// An entry whose request failed validation (reported; the bundle is rejected).
        case invalid
    }

    let index: Int
    /// `Bundle.entry[3]`, or the resource type for a single resource.
    let path: String
    /// Path of the resource itself: `Bundle.entry[3].resource` or `Observation`.
    let resourcePath: String
    let fullUrl: String?
    let resource: FHIRJSON.Object?
    let resourceType: String?
    var disposition: Disposition
    /// For entries without a resource: the type `request.url` names.
    var requestType: String?
}

/// Bundle-level rules: types Vigil accepts, the R4 bundle invariants (bdl-1 … bdl-12), fullUrl syntax and
/// uniqueness, and `request` method/url for transactions and batches.
enum FHIRBundleRules {
    /// Bundle types accepted for ingestion. Responses and history describe what a server did; they are not
    /// submissions and are rejected as unsupported.
    static let accepted: Set<String> = ["transaction", "batch", "collection", "document", "message", "searchset"]

    static func entries(of bundle: FHIRJSON.Object, log: inout FHIRIssueLog) -> [FHIREntry] {
        let type = bundle["type"] as? String ?? ""
        let isRequestBundle = type == "transaction" || type == "batch"
        if FHIRResources.bundleTypes.codes.contains(type), !accepted.contains(type) {
            log.error(
                .notSupported, "Bundle.type is not accepted for ingestion (accepted: transaction, batch, collection, "
                    + "document, message, searchset)", at: "Bundle.type", reason: .unsupportedMessage)
        }
        if bundle["total"] != nil, type != "searchset", type != "history" {
            log.error(.invariant, "Bundle.total is only allowed in a searchset or history (bdl-1)", at: "Bundle.total")
        }
        var entries: [FHIREntry] = []
        var firstByFullUrl: [String: (index: Int, version: String?)] = [:]
        let checksUniqueness = type != "batch" && type != "searchset"
        for (index, item) in FHIRJSON.array(bundle["entry"]).enumerated() {
            guard let entry = item as? FHIRJSON.Object else { continue }
            let path = "Bundle.entry[\(index)]"
            let resource = FHIRJSON.object(entry["resource"])
            let resourceType = resource?["resourceType"] as? String
            let fullUrl = FHIRJSON.string(entry["fullUrl"])
            var disposition = FHIREntry.Disposition.ingest
            var requestType: String?

            if resource == nil, entry["request"] == nil, entry["response"] == nil {
                log.error(.invariant, "an entry must have a resource, a request or a response (bdl-5)", at: path)
            }
            if entry["search"] != nil, type != "searchset" {
                log.error(.invariant, "entry.search is only allowed in a searchset (bdl-2)", at: path + ".search")
            }
            if entry["response"] != nil {
                log.error(.invariant, "entry.response is only allowed in a response or history (bdl-4)", at: path + ".response")
            }
            if isRequestBundle, entry["request"] == nil {
                log.error(.required, "entry.request is required in a \(type) (bdl-3)", at: path + ".request")
            } else if !isRequestBundle, entry["request"] != nil, accepted.contains(type) {
                log.error(.invariant, "entry.request is only allowed in a batch or transaction (bdl-3)", at: path + ".request")
            }
            if let fullUrl {
                checkFullUrl(fullUrl, resource: resource, isRequestBundle: isRequestBundle, path: path, log: &log)
                if checksUniqueness {
                    let version = FHIRJSON.string(FHIRJSON.object(resource?["meta"])?["versionId"])
                    if let first = firstByFullUrl[fullUrl], first.version == nil || first.version == version {
                        log.error(
                            .duplicate, "fullUrl duplicates the fullUrl of Bundle.entry[\(first.index)] (bdl-7)",
                            at: path + ".fullUrl")
                    } else {
                        firstByFullUrl[fullUrl] = (index, version)
                    }
                }
            }
            if isRequestBundle, let request = FHIRJSON.object(entry["request"]) {
                (disposition, requestType) = checkRequest(
                    request, resource: resource, resourceType: resourceType, path: path + ".request", log: &log)
            } else if type == "searchset", FHIRJSON.object(entry["search"])?["mode"] as? String == "outcome" {
                disposition = .notExecuted("search outcome")
            } else if resource == nil {
                disposition = .notExecuted("no resource")
            }
            entries.append(
                FHIREntry(
                    index: index, path: path, resourcePath: path + ".resource", fullUrl: fullUrl, resource: resource,
                    resourceType: resourceType, disposition: disposition, requestType: requestType))
        }
        checkDocumentAndMessage(type: type, bundle: bundle, entries: entries, log: &log)
        if isRequestBundle, !entries.isEmpty, !entries.contains(where: { $0.disposition == .ingest }),
            !entries.contains(where: { $0.disposition == .invalid })
        {
            // Nothing to ingest: tell the sender instead of accepting and doing nothing.
            log.error(
                .notSupported, "the \(type) holds no create or update (POST/PUT of a resource): Vigil ingests "
                    + "resources and does not execute reads, deletes, patches or operations",
                at: "Bundle.entry", reason: .unsupportedMessage)
            for entry in entries {
                if case .notExecuted(let what) = entry.disposition {
                    log.error(
                        .notSupported, "\(what) is not executed by ingestion",
                        at: entry.path + (what == "operation" ? ".request.url" : ".request.method"),
                        reason: .unsupportedMessage)
                }
            }
        }
        return entries
    }

    private static func checkFullUrl(
        _ fullUrl: String, resource: FHIRJSON.Object?, isRequestBundle: Bool, path: String, log: inout FHIRIssueLog
    ) {
        if fullUrl.contains("/_history/") {
            log.error(.invariant, "fullUrl must not be version specific (bdl-8)", at: path + ".fullUrl")
        }
        let reference = FHIRReference(fullUrl)
        if (fullUrl.hasPrefix("urn:uuid:") || fullUrl.hasPrefix("urn:oid:")) && reference == .invalid {
            log.error(.value, "fullUrl is not a valid urn:uuid or urn:oid", at: path + ".fullUrl")
        } else if reference == .invalid && fullUrl.utf8.contains(where: FHIRLexical.isSpace) {
            log.error(.value, "fullUrl is not a valid URI", at: path + ".fullUrl")
        }
        // Outside transactions and batches the fullUrl is the resource's identity: it must agree with it.
        guard !isRequestBundle, let resource, let type = resource["resourceType"] as? String,
            let id = resource["id"] as? String
        else { return }
        let named: (String?, String?) =
            switch reference {
            case .absolute(_, let t, let i): (t, i)
            case .relative(let t, let i): (t, i)
            default: (nil, nil)
            }
        if let namedType = named.0, let namedID = named.1, namedType != type || namedID != id {
            log.error(.invariant, "fullUrl does not agree with the resource's type and id", at: path + ".fullUrl")
        }
    }

    /// Validates `request.method`/`request.url` and says whether Vigil executes the entry.
    private static func checkRequest(
        _ request: FHIRJSON.Object, resource: FHIRJSON.Object?, resourceType: String?, path: String,
        log: inout FHIRIssueLog
    ) -> (FHIREntry.Disposition, String?) {
        guard let method = request["method"] as? String, FHIRResources.httpVerbs.codes.contains(method),
            let url = FHIRJSON.string(request["url"])
        else { return (.invalid, nil) }  // schema validation reported it
        if url.contains("://") {
            log.error(.value, "request.url must be relative to the server base", at: path + ".url")
            return (.invalid, nil)
        }
        let trimmed = url.hasPrefix("/") ? String(url.dropFirst()) : url
        let pathPart = String(trimmed.prefix(while: { $0 != "?" }))
        let hasQuery = pathPart.count < trimmed.count
        let segments = pathPart.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        let first = segments.first ?? ""
        if segments.contains(where: { $0.hasPrefix("$") }) {
            if !first.hasPrefix("$"), !FHIRResources.allTypes.contains(first) {
                log.error(.value, "request.url does not start with an R4 resource type", at: path + ".url")
            }
            return (.notExecuted("operation"), first)
        }
        if method == "GET" || method == "HEAD" {
            if !FHIRResources.allTypes.contains(first), !["metadata", "_history", "_search", ""].contains(first) {
                log.error(.value, "request.url does not start with an R4 resource type", at: path + ".url")
            }
            return (.notExecuted("read (\(method))"), first)
        }
        guard FHIRResources.allTypes.contains(first) else {
            log.error(.value, "request.url does not start with an R4 resource type", at: path + ".url")
            return (.invalid, nil)
        }
        let instanceShape = segments.count == 2
        let conditionalShape = segments.count == 1 && hasQuery
        if instanceShape, !FHIRLexical.isID(segments[1].utf8) {
            log.error(.value, "request.url must end in a valid resource id (Type/id)", at: path + ".url")
            return (.invalid, first)
        }
        switch method {
        case "POST":
            if segments.count == 2, segments[1] == "_search" { return (.notExecuted("search (POST)"), first) }
            guard segments.count == 1 else {
                log.error(.value, "POST request.url must be a resource type or an operation", at: path + ".url")
                return (.invalid, first)
            }
        case "PUT", "PATCH", "DELETE":
            guard instanceShape || conditionalShape else {
                log.error(.value, "\(method) request.url must be Type/id or Type?criteria", at: path + ".url")
                return (.invalid, first)
            }
            if method == "DELETE" { return (.notExecuted("delete"), first) }
            if method == "PATCH" {
                if resource == nil { log.error(.required, "PATCH needs a resource (the patch)", at: path) }
                return (.notExecuted("patch"), first)
            }
        default:
            return (.invalid, first)
        }
        guard let resource else {
            log.error(.required, "\(method) needs entry.resource", at: path)
            return (.invalid, first)
        }
        if let resourceType, resourceType != first {
            log.error(.invalid, "the resource type does not match request.url", at: path + ".url")
        }
        if instanceShape, let id = resource["id"] as? String, id != segments[1] {
            // R4 servers answer 400; tolerated here (the manifest's valid examples do it) — the event ids do
            // not depend on either id.
            log.warning(.invalid, "resource.id does not match the id in request.url", at: path + ".url")
        }
        return (.ingest, first)
    }

    /// bdl-9/10/11 (document) and bdl-12 (message).
    private static func checkDocumentAndMessage(
        type: String, bundle: FHIRJSON.Object, entries: [FHIREntry], log: inout FHIRIssueLog
    ) {
        if type == "document" {
            if entries.first?.resourceType != "Composition" {
                log.error(.invariant, "a document must start with a Composition (bdl-11)", at: "Bundle.entry")
            }
            let identifier = FHIRJSON.object(bundle["identifier"])
            if identifier?["system"] == nil || identifier?["value"] == nil {
                log.error(.invariant, "a document needs identifier.system and value (bdl-9)", at: "Bundle.identifier")
            }
            if bundle["timestamp"] == nil {
                log.error(.invariant, "a document needs a timestamp (bdl-10)", at: "Bundle.timestamp")
            }
        } else if type == "message", entries.first?.resourceType != "MessageHeader" {
            log.error(.invariant, "a message must start with a MessageHeader (bdl-12)", at: "Bundle.entry")
        }
    }
}
