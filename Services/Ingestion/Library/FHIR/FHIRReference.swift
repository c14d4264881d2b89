/// A literal `Reference.reference` (or `fullUrl`, or `request.url`), classified.
enum FHIRReference: Equatable {
    /// `#id` — a contained resource (`#` alone: the containing resource).
    case contained(id: String)
    /// `urn:uuid:…` or `urn:oid:…` — bundle-local (fullUrl) or globally unique.
    case urn(String)
    /// An absolute URL; `type`/`id` when it ends in a RESTful `Type/id` (`/_history/v` stripped).
    case absolute(String, type: String?, id: String?)
    /// `Type/id` relative to the sender's base.
    case relative(type: String, id: String)
    /// `Type?criteria` (conditional reference, transactions).
    case conditional(type: String, query: String)
    /// Shaped like a reference but naming a type R4 does not define.
    case unknownType
    case invalid

    init(_ text: String) {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty, !bytes.contains(where: FHIRLexical.isSpace) else {
            self = .invalid
            return
        }
        if bytes[0] == UInt8(ascii: "#") {
            let id = text.utf8.dropFirst()
            self = id.isEmpty || FHIRLexical.isID(id) ? .contained(id: String(text.dropFirst())) : .invalid
            return
        }
        if text.hasPrefix("urn:uuid:") {
            self = FHIRLexical.isUUIDURN(bytes) ? .urn(text) : .invalid
            return
        }
        if text.hasPrefix("urn:oid:") {
            self = FHIRLexical.isOID(bytes) ? .urn(text) : .invalid
            return
        }
        if text.hasPrefix("urn:") {
            self = .urn(text)
            return
        }
        if let schemeEnd = text.range(of: "://") {
            guard text[..<schemeEnd.lowerBound].utf8.allSatisfy({ FHIRLexical.isAlnum($0) || $0 == UInt8(ascii: "+") })
            else {
                self = .invalid
                return
            }
            let restful = Self.restfulTail(text[schemeEnd.upperBound...].split(separator: "/").dropFirst().map(String.init))
            self = .absolute(text, type: restful?.type, id: restful?.id)
            return
        }
        if let question = text.firstIndex(of: "?") {
            let type = String(text[..<question])
            guard !type.isEmpty, !type.contains("/") else {
                self = .invalid
                return
            }
            self =
                FHIRResources.allTypes.contains(type)
                ? .conditional(type: type, query: String(text[text.index(after: question)...])) : .unknownType
            return
        }
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2 || (parts.count == 4 && parts[2] == "_history"), let first = parts.first,
            first.utf8.first.map({ (65...90).contains($0) }) == true
        else {
            self = .invalid
            return
        }
        guard FHIRResources.allTypes.contains(first) else {
            self = .unknownType
            return
        }
        guard FHIRLexical.isID(parts[1].utf8), parts.count == 2 || FHIRLexical.isID(parts[3].utf8) else {
            self = .invalid
            return
        }
        self = .relative(type: first, id: parts[1])
    }

    /// The `Type/id` a RESTful URL path ends with (after `[base]/`), ignoring `/_history/v`.
    private static func restfulTail(_ segments: [String]) -> (type: String, id: String)? {
        var path = segments
        if path.count >= 2, path[path.count - 2] == "_history" { path.removeLast(2) }
        guard path.count >= 2 else { return nil }
        let type = path[path.count - 2]
        let id = path[path.count - 1]
        guard FHIRResources.allTypes.contains(type), FHIRLexical.isID(id.utf8) else { return nil }
        return (type, id)
    }

    /// The resource type the reference names, where it names one.
    var resourceType: String? {
        switch self {
        case .relative(let type, _), .conditional(let type, _): type
        case .absolute(_, let type, _): type
        default: nil
        }
    }
}
