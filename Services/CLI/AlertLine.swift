import Foundation
import VigilKafka
import VigilModelCore

/// One record of the alerts topic as `vigil alerts tail` shows it.
enum AlertLine {
    case alert(AlertEvent, CloudEvent)
    /// Not an alert event this build reads; `why` names the attribute or field, never a value.
    case undecodable(why: String)

    init(_ message: KafkaMessage) {
        do {
            let (event, envelope) = try AlertEvent.decodeWithEnvelope(
                headers: message.headers.map { ($0.key, $0.value ?? []) }, data: message.value)
            self = .alert(event, envelope)
        } catch let error as ModelCoreError {
            self = .undecodable(why: error.description)
        } catch {
            self = .undecodable(why: "\(type(of: error))")
        }
    }

    /// time, action, severity, rule, pseudonym (shortened), model@version, page, reason code.
    static func text(_ event: AlertEvent) -> String {
        let page = event.lifecycle.map { $0.page ? "yes" : "no" } ?? "-"
        return [
            Timestamp.format(event.time) ?? "-", pad(event.action.rawValue, 12), pad(event.severity.rawValue, 8),
            event.rule, short(event.patient), "\(event.model.id)@\(event.model.version)", "page=\(page)",
            "reason=\(event.lifecycle?.reasonCode ?? "-")",
        ].joined(separator: "  ")
    }

    /// `p1.<key id>.` and the digest's first 8 characters: enough to tell patients apart on screen.
    static func short(_ patient: Pseudonym) -> String {
        let parts = patient.rawValue.split(separator: ".")
        guard parts.count == 3 else { return patient.rawValue }
        return "\(parts[0]).\(parts[1]).\(parts[2].prefix(8))…"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    static func undecodableText(_ message: KafkaMessage, why: String) -> String {
        "undecodable record \(message.topic)[\(message.partition)]@\(message.offset) skipped: \(why)"
    }
}
