import VigilKafka
import VigilModelCore
import VigilPHI

/// What `FHIRIntake.process` made of one HTTP body (or one record of `clinical.inbound.fhir.v1`).
public enum FHIRIntakeResult: Hashable, Sendable {
    /// Valid FHIR R4 JSON of a supported shape: the events to publish, with the mapping coverage.
    case accepted(FHIRIntakeAcceptance)
    /// Not accepted: the HTTP status, the `OperationOutcome` to return and the dead-letter reason code.
    case rejected(FHIRIntakeRejection)

    public var acceptance: FHIRIntakeAcceptance? {
        if case .accepted(let acceptance) = self { return acceptance }
        return nil
    }

    public var rejection: FHIRIntakeRejection? {
        if case .rejected(let rejection) = self { return rejection }
        return nil
    }
}

public struct FHIRIntakeAcceptance: Hashable, Sendable {
    /// Identified canonical events in source order (entry order, then component order).
    public var events: [IdentifiedEvent]
    /// Which resources and elements were mapped, defaulted or ignored, counted by resource type.
    public var coverage: FHIRMappingCoverage
    /// Warnings and information for the sender (e.g. an entry that yielded no event, and why). Never values.
    public var outcome: FHIROperationOutcome
    /// The id the event ids derive from: `Bundle.identifier` (`system|value`), `Bundle.id`,
    /// `<Type>/<id>` of a single resource, or `sha256:<hex>` of the body when the message carries none.
    public var messageControlID: String
    /// SHA-256 of the body as received: with `messageControlID`, what the dedupe ledger needs to tell a resend
    /// (same id, same digest) from a conflict (same id, different content).
    public var contentDigest: HexDigest
    /// `Bundle`, `Observation`, `Patient`, `Encounter` or `DocumentReference`.
    public var resourceType: String
    /// `Bundle.type` for bundles.
    public var bundleType: String?
}

extension FHIRIntakeAcceptance {
    /// The same events under another control id (ids re-derived from the new sources): for a message whose
    /// control id the dedupe ledger found with different content, republished under a content-derived id
    /// such as `"sha256:" + contentDigest.hex`.
    public func rekeyed(messageControlID: String) -> FHIRIntakeAcceptance {
        var copy = self
        copy.messageControlID = messageControlID
        copy.events = events.map { event in
            var event = event
            event.source.messageControlID = messageControlID
            event.id = EventID(source: event.source)
            return event
        }
        return copy
    }

    /// The raw SHA-256 of the body (the ledger stores bytes).
    public var contentSHA256: [UInt8] { contentDigest.bytes }
}

public struct FHIRIntakeRejection: Hashable, Sendable {
    /// 400 (not JSON, wrong content type, bad encoding), 413 (too large) or 422 (invalid or unsupported FHIR).
    public var httpStatus: Int
    public var reason: FHIRDeadLetterReason
    /// At least one issue of severity `error` or `fatal`, each with an `expression` where one applies.
    public var outcome: FHIROperationOutcome
    /// SHA-256 of the body, for the dead-letter record.
    public var contentDigest: HexDigest
}

extension FHIRIntakeRejection {
    /// The stage runner's dead-letter reason: the code, and the first error's diagnostics and location (which
    /// never carry values).
    public var deadLetterReason: DeadLetterReason {
        let first = outcome.issues.first(where: \.isError)
        var detail = first?.diagnostics ?? reason.rawValue
        if let expression = first?.expression.first { detail += " at " + expression }
        return DeadLetterReason(code: reason.rawValue, detail: detail)
    }

    public var contentSHA256: [UInt8] { contentDigest.bytes }
}

extension HexDigest {
    fileprivate var bytes: [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var high: UInt8?
        for char in hex.utf8 {
            let nibble = char <= UInt8(ascii: "9") ? char - UInt8(ascii: "0") : char - UInt8(ascii: "a") + 10
            if let h = high {
                bytes.append(h << 4 | nibble)
                high = nil
            } else {
                high = nibble
            }
        }
        return bytes
    }
}

/// Dead-letter reason codes of the ingestion service (issue 4, item 6) that the FHIR intake produces.
public enum FHIRDeadLetterReason: String, Hashable, Sendable, CaseIterable {
    /// Not JSON (syntax error, NDJSON, empty body, not an object).
    case parseError = "parse_error"
    /// JSON, but not valid FHIR R4 for what Vigil checks.
    case validationFailed = "validation_failed"
    /// Valid, but not something Vigil ingests (XML, unsupported resource type, a response bundle, …).
    case unsupportedMessage = "unsupported_message"
    /// Not UTF-8, a charset other than UTF-8, or an attachment whose text is not UTF-8.
    case encodingError = "encoding_error"
    /// Larger than `FHIRIntake.Options.maxBodyBytes`.
    case tooLarge = "too_large"
}
