import VigilHL7
import VigilModelCore
import VigilPHI

/// `vigil hl7 inspect FILE…` (issue 4, item 8): what Vigil makes of an interface analyst's messages.
///
/// The input may be one message, a batch file (FHS/BHS…), messages back to back, or captured MLLP frames
/// (`HL7Batch` splits them). Each message yields one JSON line:
///
/// - mapped or ignored: `{"message":1,"status":"mapped","messageType":…,"controlID":…,"sourceSystem":…,
///   "events":[…],"resultKeys":{…},"coverage":{"segments":{…},"notes":[…]}}` (`"ignoredReason"` when ignored);
/// - rejected: `{"message":2,"status":"rejected","stage":"parse"|"mapping","reason":"parse_error",
///   "segmentIndex":3,"segmentID":"OBX","field":5,…,"detail":"…"}` — positions and fixed reasons only.
///
/// **The events are printed with their PHI** (patient identifiers, names, birth dates, free text): this is an
/// analyst tool, run inside the PHI zone on the analyst's own files, whose purpose is to show exactly what
/// would be published on the identified topic. Do not run it where its output leaves the PHI zone, and do
/// not feed its output to logs. Rejections carry no field contents.
///
/// Never traps, whatever the bytes: parse and mapping failures become rejection lines.
public enum HL7Inspection {
    /// Every message mapped or ignored.
    public static let exitSuccess: Int32 = 0
    /// At least one message rejected (`EX_DATAERR` from sysexits.h).
    public static let exitRejected: Int32 = 65

    public struct Report: Sendable {
        /// One JSON line per message, in input order.
        public var lines: [String] = []
        public var mapped = 0
        public var ignored = 0
        public var rejected = 0

        /// 0 when every message is valid (mapped or ignored), 65 when any was rejected.
        public var exitStatus: Int32 { rejected > 0 ? HL7Inspection.exitRejected : HL7Inspection.exitSuccess }
    }

    /// One JSON line per message in `bytes` (see the type's documentation).
    public static func inspect(bytes: [UInt8]) -> [String] {
        report(bytes: bytes).lines
    }

    /// The lines with counts and the exit status.
    public static func report(
        bytes: [UInt8], mapper: HL7Mapper = HL7Mapper(), sourceSystem: String? = nil,
        options: HL7ParseOptions = HL7ParseOptions()
    ) -> Report {
        var report = Report()
        let batch: HL7Batch
        do {
            batch = try HL7Batch(parsing: bytes, options: options)
        } catch {
            report.rejected += 1
            report.lines.append(render(rejectionOf: error, message: 1, range: 0..<bytes.count))
            return report
        }
        for (offset, entry) in batch.entries.enumerated() {
            let number = offset + 1
            switch entry.result {
            case .failure(let error):
                report.rejected += 1
                report.lines.append(render(rejectionOf: error, message: number, range: entry.byteRange))
            case .success(let message):
                do {
                    let mapping = try mapper.map(message, sourceSystem: sourceSystem)
                    guard let line = render(mapping, message: number, range: entry.byteRange) else {
                        report.rejected += 1
                        report.lines.append(
                            render(
                                rejection: [
                                    "stage": .string("encoding"),
                                    "reason": .string(HL7MappingError.Code.validationFailed.rawValue),
                                    "detail": .string("an event could not be encoded as JSON"),
                                ], message: number, range: entry.byteRange))
                        continue
                    }
                    if mapping.isIgnored { report.ignored += 1 } else { report.mapped += 1 }
                    report.lines.append(line)
                } catch {
                    report.rejected += 1
                    report.lines.append(render(rejectionOf: error, message: number, range: entry.byteRange))
                }
            }
        }
        return report
    }

    // MARK: Rendering

    typealias Value = HL7InspectionJSON.Value

    static func render(_ mapping: HL7Mapping, message: Int, range: Range<Int>) -> String? {
        var events: [Value] = []
        for event in mapping.events {
            guard let bytes = try? VigilJSON.encode(event) else { return nil }
            events.append(.raw(String(decoding: bytes, as: UTF8.self)))
        }
        var keys: [String: Value] = [:]
        for (eventID, key) in mapping.resultKeys { keys[eventID.rawValue] = .string(key.id.rawValue) }
        var object: [String: Value] = [
            "message": .int(message),
            "byteRange": .array([.int(range.lowerBound), .int(range.upperBound)]),
            "status": .string(mapping.isIgnored ? "ignored" : "mapped"),
            "messageType": .string(mapping.messageType),
            "controlID": mapping.controlID.map(Value.string) ?? .null,
            "sourceSystem": .string(mapping.sourceSystem),
            "events": .array(events),
            "resultKeys": .object(keys),
            "coverage": coverage(mapping.coverage),
        ]
        if case .ignored(let reason) = mapping.disposition { object["ignoredReason"] = .string(reason.rawValue) }
        return HL7InspectionJSON.render(.object(object))
    }

    static func coverage(_ coverage: HL7MappingCoverage) -> Value {
        var segments: [String: Value] = [:]
        for (id, counts) in coverage.segments {
            segments[id] = .object([
                "mapped": .int(counts.mapped), "defaulted": .int(counts.defaulted), "ignored": .int(counts.ignored),
            ])
        }
        let notes = coverage.sortedNotes.map { item -> Value in
            .object([
                "field": .string(item.note.field), "disposition": .string(item.note.disposition.rawValue),
                "reason": .string(item.note.reason), "count": .int(item.count),
            ])
        }
        return .object(["segments": .object(segments), "notes": .array(notes)])
    }

    static func render(rejectionOf error: HL7ParseError, message: Int, range: Range<Int>) -> String {
        var object: [String: Value] = [
            "stage": .string("parse"), "reason": .string(error.code.rawValue), "detail": .string(error.reason.description),
        ]
        if let index = error.segmentIndex { object["segmentIndex"] = .int(index) }
        if let id = error.segmentID { object["segmentID"] = .string(id) }
        if let field = error.field { object["field"] = .int(field) }
        if let offset = error.byteOffset { object["byteOffset"] = .int(offset) }
        return render(rejection: object, message: message, range: range)
    }

    static func render(rejectionOf error: HL7MappingError, message: Int, range: Range<Int>) -> String {
        var object: [String: Value] = [
            "stage": .string("mapping"), "reason": .string(error.code.rawValue), "detail": .string(error.reason.description),
        ]
        if let index = error.segmentIndex { object["segmentIndex"] = .int(index) }
        if let id = error.segmentID { object["segmentID"] = .string(id) }
        if let field = error.field { object["field"] = .int(field) }
        if let component = error.component { object["component"] = .int(component) }
        return render(rejection: object, message: message, range: range)
    }

    static func render(rejection: [String: Value], message: Int, range: Range<Int>) -> String {
        var object = rejection
        object["message"] = .int(message)
        object["byteRange"] = .array([.int(range.lowerBound), .int(range.upperBound)])
        object["status"] = .string("rejected")
        return HL7InspectionJSON.render(.object(object))
    }
}
