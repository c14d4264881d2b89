import Foundation
import VigilModelCore
import VigilPHI

/// FHIR R4 JSON intake: one request body (HTTP `POST`, or a record of `clinical.inbound.fhir.v1`) →
/// identified canonical events, or a rejection with an `OperationOutcome` and a dead-letter reason.
///
/// Pure: no I/O, no clock (the receipt time is an option), so the same bytes always give the same result.
///
/// Accepted: a `Bundle` of type transaction, batch, collection, document, message or searchset, or a single
/// Observation, Patient, Encounter or DocumentReference. Inside bundles, resources of other types are counted
/// as ignored. Order of checks: size (413) → content type (400) → XML or NDJSON (400) → UTF-8 (400) → JSON
/// syntax (400) → resourceType (422) → structure and bundle rules (422) → mapping (422 for a single resource
/// that cannot become an event).
public enum FHIRIntake {
    public struct Options: Hashable, Sendable {
        /// `EventSource.system` of every event, and the assigning authority of patients known only by logical
        /// id. Give each sending system its own value (e.g. `fhir:<client id>`) so their ids cannot collide.
        public var sourceSystem: String
        /// When the body was received: the time of last resort for a Patient update event or an observation
        /// without effective time, issued or meta.lastUpdated. `nil` keeps the intake clock-free.
        public var receivedAt: Date?
        /// Bodies above this size are rejected with 413 `too_large`. Default 32 MiB.
        public var maxBodyBytes: Int
        /// The type the URL names (`POST /fhir/Observation`); a body of another type is a 400.
        public var expectedResourceType: String?

        public init(
            sourceSystem: String = "fhir", receivedAt: Date? = nil, maxBodyBytes: Int = 32 << 20,
            expectedResourceType: String? = nil
        ) {
            self.sourceSystem = sourceSystem
            self.receivedAt = receivedAt
            self.maxBodyBytes = maxBodyBytes
            self.expectedResourceType = expectedResourceType
        }
    }

    public static func process(_ body: [UInt8], contentType: String?) -> FHIRIntakeResult {
        process(body, contentType: contentType, options: Options())
    }

    public static func process(_ body: [UInt8], contentType: String?, options: Options) -> FHIRIntakeResult {
        let digest = HexDigest.sha256(of: body)
        func reject(
            _ status: Int, _ reason: FHIRDeadLetterReason, _ code: FHIROperationOutcome.Issue.Code, _ text: String,
            at expression: String? = nil
        ) -> FHIRIntakeResult {
            var log = FHIRIssueLog()
            log.error(code, text, at: expression, reason: reason)
            return .rejected(
                FHIRIntakeRejection(httpStatus: status, reason: reason, outcome: log.outcome(), contentDigest: digest))
        }
        guard body.count <= options.maxBodyBytes else {
            return reject(413, .tooLarge, .tooCostly, "the body exceeds \(options.maxBodyBytes) bytes")
        }
        if let failure = FHIRContentType.check(contentType) {
            return reject(400, failure.reason, failure.code, failure.diagnostics)
        }
        let start = body.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        guard let first = body[start...].first(where: { !FHIRLexical.isSpace($0) }) else {
            return reject(400, .parseError, .structure, "the body is empty")
        }
        if first == UInt8(ascii: "<") {
            return reject(
                400, .unsupportedMessage, .notSupported,
                "FHIR XML is not accepted; send FHIR JSON (application/fhir+json)")
        }
        guard String(validating: body[start...], as: UTF8.self) != nil else {
            return reject(400, .encodingError, .structure, "the body is not valid UTF-8")
        }
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(body[start...]))
        } catch {
            return reject(400, .parseError, .structure, FHIRParseDiagnostics.describe(error, body: body, start: start))
        }
        guard let object = root as? FHIRJSON.Object else {
            return reject(400, .parseError, .structure, "a FHIR resource is a JSON object")
        }
        guard let resourceType = FHIRJSON.string(object["resourceType"]) else {
            return reject(422, .validationFailed, .required, "resourceType is required", at: "resourceType")
        }
        guard FHIRResources.allTypes.contains(resourceType) else {
            return reject(422, .validationFailed, .invalid, "resourceType is not an R4 resource type", at: "resourceType")
        }
        if let expected = options.expectedResourceType, expected != resourceType {
            return reject(
                400, .validationFailed, .invalid, "the body is a \(resourceType), but the URL names \(expected)",
                at: "resourceType")
        }
        guard FHIRResources.ingestible.contains(resourceType) else {
            return reject(
                422, .unsupportedMessage, .notSupported,
                "\(resourceType) is not accepted; send a Bundle, Observation, Patient, Encounter or DocumentReference",
                at: resourceType)
        }
        return ingest(object, type: resourceType, digest: digest, options: options)
    }

    private static func ingest(
        _ object: FHIRJSON.Object, type: String, digest: HexDigest, options: Options
    ) -> FHIRIntakeResult {
        var validator = FHIRValidator()
        validator.validateResource(object, path: type)
        var log = validator.log
        let entries: [FHIREntry]
        if type == "Bundle" {
            entries = FHIRBundleRules.entries(of: object, log: &log)
        } else {
            entries = [
                FHIREntry(
                    index: 0, path: type, resourcePath: type, fullUrl: nil, resource: object, resourceType: type,
                    disposition: .ingest, requestType: nil)
            ]
        }
        if log.hasErrors { return rejection(log, digest: digest) }
        let controlID = messageControlID(object, type: type, digest: digest)
        var mapper = FHIRMapper(
            entries: entries, messageControlID: controlID, isSingleResource: type != "Bundle", options: options,
            log: log)
        mapper.run()
        if mapper.log.hasErrors { return rejection(mapper.log, digest: digest) }
        return .accepted(
            FHIRIntakeAcceptance(
                events: mapper.events, coverage: mapper.coverage, outcome: mapper.log.outcome(),
                messageControlID: controlID, contentDigest: digest, resourceType: type,
                bundleType: type == "Bundle" ? object["type"] as? String : nil))
    }

    private static func rejection(_ log: FHIRIssueLog, digest: HexDigest) -> FHIRIntakeResult {
        .rejected(
            FHIRIntakeRejection(
                httpStatus: 422, reason: log.rejectionReason, outcome: log.outcome(errorsOnly: true),
                contentDigest: digest))
    }

    /// `Bundle.identifier` (`system|value`), else `Bundle.id`; `<Type>/<id>` for a single resource; else
    /// `sha256:<hex>` of the body — stable across resends either way.
    static func messageControlID(_ object: FHIRJSON.Object, type: String, digest: HexDigest) -> String {
        if type == "Bundle" {
            if let identifier = FHIRJSON.object(object["identifier"]), let system = FHIRJSON.string(identifier["system"]),
                let value = FHIRJSON.string(identifier["value"])
            {
                return system + "|" + value
            }
            if let id = FHIRJSON.string(object["id"]) { return id }
        } else if let id = FHIRJSON.string(object["id"]) {
            return type + "/" + id
        }
        return "sha256:" + digest.hex
    }
}
