import Foundation
import VigilModelCore

/// Shared sample values. Keys and dates are arbitrary; expected digests live in the tests that use them,
/// each computed independently (Python) and labelled as such.
enum Fixtures {
    /// 32 bytes 0x00…0x1f.
    static let key: [UInt8] = Array(0..<32)
    static let otherKey: [UInt8] = Array((0..<32).map { UInt8($0) ^ 0xA5 })

    static let patient = try! Pseudonym.derive(
        assigningAuthority: "urn:oid:1.2.3.4", patientID: "MRN12345", key: key, keyID: "k2024")

    static let effective = Date(timeIntervalSince1970: 1_714_566_896.789)
    static let recorded = Date(timeIntervalSince1970: 1_714_566_900.250)

    static func source(position: Int = 3) -> EventSource {
        EventSource(system: "LAB^HOSP", messageControlID: "MSG00001", position: position)
    }

    static func event(kind: EventKind = .observation, value: EventValue? = .quantity(value: 72, unit: "/min"))
        -> ClinicalEvent
    {
        ClinicalEvent(
            patient: patient, encounter: "enc-7f3a", kind: kind, code: .loinc("8867-4", display: "Heart rate"),
            value: value, effectiveTime: effective, recordedTime: recorded, source: source())
    }

    static let model = ModelReference(
        id: "news2", version: "1.0.0",
        sha256: HexDigest("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")!)

    static let traceparent = TraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")!

    static func header(_ headers: KafkaHeaderList, _ key: String) -> String? {
        headers.first { $0.key == key }.map { String(decoding: $0.value, as: UTF8.self) }
    }

    static func json(_ bytes: [UInt8]) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
    }

    static func bytes(_ object: [String: Any]) -> [UInt8] {
        Array(try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }
}
