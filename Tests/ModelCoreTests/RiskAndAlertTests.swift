import Foundation
import Testing
import VigilModelCore

@Suite struct RiskAndAlertTests {
    static let inputs = [EventID(source: Fixtures.source(position: 1)), EventID(source: Fixtures.source(position: 2))]

    static func risk() -> RiskRecord {
        RiskRecord(
            id: RiskRecord.deriveID(
                model: Fixtures.model, scoreName: "news2", patient: Fixtures.patient, inputEventIDs: inputs),
            patient: Fixtures.patient, model: Fixtures.model, scoreName: "news2", value: 7,
            parts: ["respiratory_rate": 3, "spo2": 2, "heart_rate": 2], missingInputs: ["consciousness"],
            inputEventIDs: inputs, computedAt: Fixtures.recorded, inputsHash: HexDigest.sha256(framing: ["x"]),
            codeVersion: "v0.1-3-gabc", revision: 2, supersedes: inputs.first)
    }

    static func alert(_ action: AlertEvent.Action = .raised) -> AlertEvent {
        let record = risk()
        return AlertEvent(
            id: EventID.derive(namespace: "alert", parts: [record.id.rawValue, action.rawValue]),
            alertID: EventID.derive(namespace: "alert", parts: [record.id.rawValue]), patient: Fixtures.patient,
            action: action, severity: .high, rule: "news2.high",
            factors: [.init(name: "respiratory_rate", contribution: 3, value: .quantity(value: 26, unit: "/min"))],
            model: Fixtures.model, riskRecordID: record.id, time: Fixtures.recorded,
            actor: action == .overridden ? "staff-42" : nil, reason: action == .overridden ? "known COPD" : nil)
    }

    @Test func riskRecordRoundTripsThroughCloudEvents() throws {
        let record = Self.risk()
        let (headers, data) = try CloudEvent.encode(event: record, source: "urn:vigil:infer")
        #expect(Fixtures.header(headers, "ce_type") == "org.vigil.risk.score.v1")
        #expect(Fixtures.json(data)["schema"] as? String == "vigil.risk-record/1.3")
        #expect(try RiskRecord.decode(headers: headers, data: data) == record)
    }

    @Test func version11FieldsRoundTripAndA10RecordStillReads() throws {
        var record = Self.risk()
        record.eventTime = Fixtures.effective
        record.band = "medium"
        record.upperBound = 9
        let (headers, data) = try CloudEvent.encode(event: record, source: "urn:vigil:infer")
        #expect(try RiskRecord.decode(headers: headers, data: data) == record)
        // A 1.0 producer's record has none of them.
        var object = Fixtures.json(try VigilJSON.encode(Self.risk()))
        object["schema"] = "vigil.risk-record/1.0"
        let old = try VigilJSON.decode(RiskRecord.self, from: Fixtures.bytes(object))
        #expect(old.eventTime == nil && old.band == nil && old.upperBound == nil)
    }

    @Test func riskRecordIDIgnoresInputOrder() {
        let a = RiskRecord.deriveID(
            model: Fixtures.model, scoreName: "news2", patient: Fixtures.patient, inputEventIDs: Self.inputs)
        let b = RiskRecord.deriveID(
            model: Fixtures.model, scoreName: "news2", patient: Fixtures.patient, inputEventIDs: Self.inputs.reversed())
        #expect(a == b)
    }

    @Test(arguments: AlertEvent.Action.allCases)
    func alertEventRoundTripsThroughCloudEvents(_ action: AlertEvent.Action) throws {
        let alert = Self.alert(action)
        let (headers, data) = try CloudEvent.encode(event: alert, source: "urn:vigil:notify")
        #expect(Fixtures.header(headers, "ce_type") == "org.vigil.alert.\(action.rawValue).v1")
        #expect(try AlertEvent.decode(headers: headers, data: data) == alert)
    }

    @Test func riskPayloadIsNotReadAsAnAlert() throws {
        let (headers, data) = try CloudEvent.encode(event: Self.risk(), source: "urn:vigil:infer")
        let error = #expect(throws: ModelCoreError.self) { try AlertEvent.decode(headers: headers, data: data) }
        #expect(error?.field == "type")
    }

    @Test func modelDigestIsValidated() throws {
        var object = Fixtures.json(try VigilJSON.encode(Self.risk()))
        object["model"] = ["id": "news2", "version": "1.0.0", "sha256": "not-a-digest"]
        let error = #expect(throws: ModelCoreError.self) {
            try VigilJSON.decode(RiskRecord.self, from: Fixtures.bytes(object))
        }
        #expect(error?.field == "model.sha256")
    }

    @Test func severityOrderAndModelStatus() throws {
        #expect(AlertEvent.Severity.info < .critical)
        #expect(AlertEvent.Severity.allCases.sorted() == AlertEvent.Severity.allCases)
        #expect(ModelStatus.allCases.filter(\.raisesAlerts) == [.active])
        let descriptor = ModelDescriptor(id: "news2", version: "1.0.0", sha256: Fixtures.model.sha256, status: .shadow)
        #expect(try VigilJSON.decode(ModelDescriptor.self, from: VigilJSON.encode(descriptor)) == descriptor)
        #expect(descriptor.reference == Fixtures.model)
    }

    @Test func topicNamesMatchTheDesign() {
        #expect(
            Topics.all == [
                "clinical.inbound.hl7v2.v1", "clinical.inbound.fhir.v1", "clinical.events.identified.v1",
                "clinical.events.v1", "clinical.risk.v1", "clinical.alerts.v1", "clinical.deadletter.v1",
                "clinical.deadletter.identified.v1", "governance.model-status.v1", "governance.alerts.v1",
            ])
        #expect(!Topics.phiZone.contains(Topics.events))
        #expect(Topics.phiZone.contains(Topics.identifiedDeadLetter))
    }
}
