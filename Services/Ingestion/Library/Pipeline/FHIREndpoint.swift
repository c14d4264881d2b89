import Foundation
import Hummingbird
import Logging
import VigilKafka
import VigilModelCore
import VigilRuntime

/// FHIR R4 over HTTP: `POST /fhir` (a Bundle: transaction, batch, collection) and `POST /fhir/<Type>` for
/// Bundle, Observation, Patient, Encounter and DocumentReference. `202 Accepted` only once the events are on
/// the broker; `400/413/422` with an `OperationOutcome` (the body dead-lettered first); `503` with
/// `Retry-After` when the broker or database is down (or the dead letter could not be stored).
///
/// `X-Vigil-Source-System` names the sending system (control ids and patient ids without an assigner are
/// only unique within it); without it the endpoint's default applies.
public struct FHIREndpoint: Sendable {
    public let submission: FHIRSubmission
    public let producer: KafkaProducer
    public let deadLetterTopic: String
    public let defaultSourceSystem: String
    let logger: Logger

    static let resourceTypes: Set<String> = ["Bundle", "Observation", "Patient", "Encounter", "DocumentReference"]

    public init(
        submission: FHIRSubmission, producer: KafkaProducer, deadLetterTopic: String, defaultSourceSystem: String,
        logger: Logger
    ) {
        self.submission = submission
        self.producer = producer
        self.deadLetterTopic = deadLetterTopic
        self.defaultSourceSystem = defaultSourceSystem
        self.logger = logger
    }

    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: HTTPMetricsMiddleware(service: "ingest"))
        router.post("/fhir") { request, _ in
            await handle(request, type: "Bundle")
        }
        router.post("/fhir/:type") { request, context in
            let type = context.parameters.get("type") ?? ""
            guard Self.resourceTypes.contains(type) else {
                return Self.response(
                    404, .notSupported, "POST of this resource type is not supported; use one of "
                        + Self.resourceTypes.sorted().joined(separator: ", "))
            }
            return await handle(request, type: type)
        }
        router.get("/fhir/metadata") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/fhir+json"],
                body: .init(byteBuffer: ByteBuffer(bytes: FHIRCapability.statement(types: Self.resourceTypes))))
        }
        return router
    }

    func handle(_ request: Request, type: String) async -> Response {
        var body: [UInt8] = []
        do {
            for try await chunk in request.body {
                body.append(contentsOf: chunk.readableBytesView)
                if body.count > submission.maxBodyBytes {
                    return Self.response(413, .tooCostly, "the body exceeds \(submission.maxBodyBytes) bytes")
                }
            }
        } catch {
            return Self.response(400, .structure, "the request body could not be read")
        }
        let source =
            request.headers.first { $0.name.canonicalName == "x-vigil-source-system" && !$0.value.isEmpty }?.value
            ?? defaultSourceSystem
        switch await submission.submit(
            body, contentType: request.headers[.contentType], sourceSystem: source, expectedResourceType: type)
        {
        case .accepted(let verdict, let events, let outcome):
            var result = outcome
            let text =
                verdict == .duplicate
                ? "already accepted: a resend of the same content publishes nothing new"
                : "accepted: \(events) event(s) published"
            result.issues.append(
                FHIROperationOutcome.Issue(severity: .information, code: .informational, diagnostics: text, expression: nil))
            return Self.response(202, result)
        case .rejected(let rejection):
            let record = DeadLetter.record(
                key: nil, value: body, reason: rejection.deadLetterReason, stage: "ingest", topic: deadLetterTopic,
                source: submission.channel)
            do {
                try await producer.send(record)
            } catch {
                logger.warning("FHIR dead letter not stored", metadata: ["error": "\(error)"])
                return Self.unavailable()
            }
            return Self.response(rejection.httpStatus, rejection.outcome)
        case .unavailable:
            return Self.unavailable()
        }
    }

    static func unavailable() -> Response {
        var response = response(
            503, .transient, "temporarily unavailable; nothing was published, retry later")
        response.headers[.retryAfter] = "5"
        return response
    }

    static func response(
        _ status: Int, _ code: FHIROperationOutcome.Issue.Code, _ text: String, at expression: String? = nil
    ) -> Response {
        response(
            status,
            FHIROperationOutcome(issues: [.init(severity: .error, code: code, diagnostics: text, expression: expression)]))
    }

    static func response(_ status: Int, _ outcome: FHIROperationOutcome) -> Response {
        Response(
            status: HTTPResponse.Status(code: status), headers: [.contentType: "application/fhir+json"],
            body: .init(byteBuffer: ByteBuffer(bytes: outcome.jsonBytes())))
    }
}

/// The CapabilityStatement served at `GET /fhir/metadata`, so FHIR clients can discover what is accepted.
enum FHIRCapability {
    static func statement(types: Set<String>) -> [UInt8] {
        let resources: [[String: Any]] = types.sorted().map { ["type": $0, "interaction": [["code": "create"]]] }
        let root: [String: Any] = [
            "resourceType": "CapabilityStatement", "status": "active", "kind": "instance", "fhirVersion": "4.0.1",
            "date": "2026-11-26", "format": ["application/fhir+json"],
            "software": ["name": "vigil-ingest"],
            "rest": [["mode": "server", "resource": resources, "interaction": [["code": "transaction"], ["code": "batch"]]]],
        ]
        return Array((try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys])) ?? Data())
    }
}
