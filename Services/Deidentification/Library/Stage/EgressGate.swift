import Foundation
import VigilModelCore

/// The last check before `clinical.events.v1`: every string in the outgoing record (each JSON string value,
/// whatever field it is in, and each header) is searched for the patient's own identifiers. Strings only:
/// a numeric MRN like `72` must not match a heart rate of 72.
enum EgressGate {
    /// The kinds of identifiers found; empty when the record may leave.
    static func check(data: [UInt8], headers: KafkaHeaderList, known: KnownIdentity) -> [String] {
        let matcher = KnownIdentityMatcher(known)
        var strings = headers.map { String(decoding: $0.value, as: UTF8.self) }
        if let root = try? JSONSerialization.jsonObject(with: Data(data), options: [.fragmentsAllowed]) {
            collect(root, into: &strings)
        } else {
            // Unparsable output is checked whole: failing safe beats guessing.
            strings.append(String(decoding: data, as: UTF8.self))
        }
        return strings.flatMap { matcher.kinds(in: $0) }
    }

    private static func collect(_ value: Any, into strings: inout [String]) {
        switch value {
        case let text as String: strings.append(text)
        case let array as [Any]: array.forEach { collect($0, into: &strings) }
        case let object as [String: Any]:
            for (key, element) in object {
                strings.append(key)
                collect(element, into: &strings)
            }
        default: break
        }
    }
}
