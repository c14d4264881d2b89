import Testing
import VigilKafka

@Suite struct KafkaConfigurationTests {
    @Test func parsesKeyValueOptions() throws {
        let options = try KafkaConfiguration.parseOptions("session.timeout.ms=6000, fetch.wait.max.ms = 20")
        #expect(options == ["session.timeout.ms": "6000", "fetch.wait.max.ms": "20"])
    }

    @Test func valueMayContainEquals() throws {
        let options = try KafkaConfiguration.parseOptions("sasl.jaas.config=a=b")
        #expect(options == ["sasl.jaas.config": "a=b"])
    }

    @Test func rejectsItemWithoutEquals() {
        #expect(throws: KafkaError.self) { try KafkaConfiguration.parseOptions("session.timeout.ms") }
    }

    @Test func deadLetterKeepsOriginalAndAddsReason() {
        let message = KafkaMessage(
            topic: "in", partition: 2, offset: 41, key: Array("k".utf8), value: [1, 2, 3],
            headers: [KafkaHeader(key: "ce_id", text: "x")])
        let record = DeadLetter.record(
            for: message, reason: DeadLetterReason(code: "hl7.parse", detail: "missing MSH"), stage: "ingest",
            topic: "dlq")
        #expect(record.topic == "dlq")
        #expect(record.value == [1, 2, 3])
        #expect(record.key == Array("k".utf8))
        let headers = Dictionary(record.headers.map { ($0.key, String(decoding: $0.value ?? [], as: UTF8.self)) }) { a, _ in a }
        #expect(headers["ce_id"] == "x")
        #expect(headers[DeadLetter.reasonHeader] == "hl7.parse")
        #expect(headers[DeadLetter.sourceOffsetHeader] == "41")
        #expect(headers[DeadLetter.sourcePartitionHeader] == "2")
    }
}
