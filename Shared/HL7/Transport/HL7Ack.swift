import Foundation

/// MSA-1 acknowledgment codes (HL7 table 0008).
public enum HL7AckCode: String, Hashable, Sendable, CaseIterable {
    case applicationAccept = "AA"
    case applicationError = "AE"
    case applicationReject = "AR"
    case commitAccept = "CA"
    case commitError = "CE"
    case commitReject = "CR"
}

/// HL7 table 0357, message error condition codes (ERR-3, ELD-4).
public enum HL7ErrorCondition: Int, Hashable, Sendable, CaseIterable {
    case segmentSequenceError = 100
    case requiredFieldMissing = 101
    case dataTypeError = 102
    case tableValueNotFound = 103
    case unsupportedMessageType = 200
    case unsupportedEventCode = 201
    case unsupportedProcessingID = 202
    case unsupportedVersionID = 203
    case unknownKeyIdentifier = 204
    case duplicateKeyIdentifier = 205
    case applicationRecordLocked = 206
    case applicationInternalError = 207

    /// The table's own wording.
    public var text: String {
        switch self {
        case .segmentSequenceError: "Segment sequence error"
        case .requiredFieldMissing: "Required field missing"
        case .dataTypeError: "Data type error"
        case .tableValueNotFound: "Table value not found"
        case .unsupportedMessageType: "Unsupported message type"
        case .unsupportedEventCode: "Unsupported event code"
        case .unsupportedProcessingID: "Unsupported processing id"
        case .unsupportedVersionID: "Unsupported version id"
        case .unknownKeyIdentifier: "Unknown key identifier"
        case .duplicateKeyIdentifier: "Duplicate key identifier"
        case .applicationRecordLocked: "Application record locked"
        case .applicationInternalError: "Application internal error"
        }
    }
}

/// What an AE/AR reports in ERR (and MSA-3 before v2.5). The text goes to the sender: keep it free of
/// patient data, like `HL7ParseError.reason`.
public struct HL7AckError: Hashable, Sendable {
    public var condition: HL7ErrorCondition
    public var text: String
    public var segmentID: String?
    /// ERL-2: the occurrence of `segmentID` within the message (1 for the first PID).
    public var segmentSequence: Int?
    public var field: Int?

    public init(
        condition: HL7ErrorCondition, text: String, segmentID: String? = nil, segmentSequence: Int? = nil,
        field: Int? = nil
    ) {
        self.condition = condition
        self.text = text
        self.segmentID = segmentID
        self.segmentSequence = segmentSequence
        self.field = field
    }

    /// The error a parse failure reports; pass the message bytes to number the segment occurrence.
    public init(_ error: HL7ParseError, bytes: [UInt8]? = nil) {
        let condition: HL7ErrorCondition =
            switch error.code {
            case .parseError: .segmentSequenceError
            case .encodingError: .dataTypeError
            case .tooLarge: .applicationInternalError
            case .unsupportedMessage: .unsupportedMessageType
            }
        var sequence: Int?
        if let bytes, let id = error.segmentID, let offset = error.byteOffset {
            sequence = Self.occurrence(of: id, before: offset, in: bytes)
        }
        self.init(
            condition: condition, text: error.reason.description, segmentID: error.segmentID,
            segmentSequence: sequence, field: error.field)
    }

    /// Counts line starts with this segment id up to `offset`.
    private static func occurrence(of id: String, before offset: Int, in bytes: [UInt8]) -> Int? {
        let target = Array(id.utf8)
        guard target.count == 3, offset < bytes.count else { return nil }
        var count = 0
        var lineStart = true
        for i in 0...offset {
            let b = bytes[i]
            if lineStart, i + 3 <= bytes.count, bytes[i] == target[0], bytes[i + 1] == target[1],
                bytes[i + 2] == target[2]
            {
                count += 1
            }
            lineStart = b == ER7Scanner.cr || b == ER7Scanner.lf
        }
        return count > 0 ? count : nil
    }
}

/// Builds HL7 acknowledgments (original mode) with the original message's delimiters.
public enum HL7Ack {
    /// An ACK for a message whose header parsed: sending and receiving application/facility swapped,
    /// MSA-2 = the original MSH-10, version and processing id echoed. `controlID` is the ACK's own MSH-10.
    /// Returns the ER7 bytes (CR-terminated segments), without MLLP framing.
    public static func build(
        replyingTo original: MSHSegment, code: HL7AckCode, controlID: String, error: HL7AckError? = nil,
        timestamp: Date = Date()
    ) -> [UInt8] {
        let s = original.segment
        func raw(_ n: Int) -> ArraySlice<UInt8> { s.field(n).rawBytes }
        let d = s.storage.delimiters
        let triggerEvent = s.field(9).component(2).rawBytes
        return compose(
            delimiters: d, code: code, controlID: controlID, error: error, timestamp: timestamp,
            header: Header(
                sendingApplication: raw(5), sendingFacility: raw(6), receivingApplication: raw(3),
                receivingFacility: raw(4), triggerEvent: triggerEvent, processingID: raw(11), version: raw(12),
                charset: s.field(18).repetition(1).rawBytes, originalControlID: raw(10),
                versionNumber: original.version))
    }

    /// An ACK for bytes that may not parse: uses their header if it can be read, else standard delimiters,
    /// version 2.5 and empty application fields (MSA-2 then is empty too).
    public static func build(
        replyingTo bytes: [UInt8], code: HL7AckCode, controlID: String, error: HL7AckError? = nil,
        timestamp: Date = Date()
    ) -> [UInt8] {
        // Every byte is valid ISO-8859-1, so an unsupported charset does not stop us from answering.
        if let header = try? HL7Message.header(of: bytes, options: HL7ParseOptions(charsetOverride: .iso8859_1)) {
            return build(replyingTo: header, code: code, controlID: controlID, error: error, timestamp: timestamp)
        }
        return compose(
            delimiters: .standard, code: code, controlID: controlID, error: error, timestamp: timestamp,
            header: Header(
                sendingApplication: [], sendingFacility: [], receivingApplication: [], receivingFacility: [],
                triggerEvent: [], processingID: Array("P".utf8)[...], version: Array("2.5".utf8)[...], charset: [],
                originalControlID: [], versionNumber: "2.5"))
    }

    private struct Header {
        var sendingApplication, sendingFacility, receivingApplication, receivingFacility: ArraySlice<UInt8>
        var triggerEvent, processingID, version, charset, originalControlID: ArraySlice<UInt8>
        var versionNumber: String?
    }

    private static func compose(
        delimiters d: HL7Delimiters, code: HL7AckCode, controlID: String, error: HL7AckError?, timestamp: Date,
        header h: Header
    ) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        func text(_ s: String) { out += HL7Escaping.encode(s, delimiters: d) }
        func ascii(_ s: String) { out += Array(s.utf8) }
        func fields(_ n: Int) { out += Array(repeating: d.field, count: n) }

        ascii("MSH")
        out.append(d.field)
        out += d.encodingCharacters
        // Copied fields keep their escapes; bytes above 0x7F become \Xhh\ so the ACK is ASCII whatever the
        // original's charset (the sender decodes them in its own).
        func copy(_ raw: ArraySlice<UInt8>) {
            for byte in raw {
                if byte < 0x80 {
                    out.append(byte)
                } else {
                    out.append(d.escape)
                    out.append(UInt8(ascii: "X"))
                    out += Array(String(byte, radix: 16, uppercase: true).utf8)
                    out.append(d.escape)
                }
            }
        }

        for part in [h.sendingApplication, h.sendingFacility, h.receivingApplication, h.receivingFacility] {
            fields(1)
            copy(part)
        }
        fields(1)
        ascii(HL7DateTime(date: timestamp)?.description ?? "")
        fields(2)
        ascii("ACK")
        if !h.triggerEvent.isEmpty {
            out.append(d.component)
            copy(h.triggerEvent)
            out.append(d.component)
            ascii("ACK")
        }
        fields(1)
        text(controlID)
        fields(1)
        copy(h.processingID)
        fields(1)
        copy(h.version)
        if !h.charset.isEmpty {
            fields(6)
            copy(h.charset)
        }
        out.append(ER7Scanner.cr)

        let legacy = isBefore25(h.versionNumber)
        ascii("MSA")
        fields(1)
        ascii(code.rawValue)
        fields(1)
        copy(h.originalControlID)
        if let error, legacy {
            fields(1)
            text(error.text)
        }
        out.append(ER7Scanner.cr)

        guard let error else { return out }
        let location: [String] = [
            error.segmentID ?? "", error.segmentSequence.map(String.init) ?? "", error.field.map(String.init) ?? "",
        ]
        let conditionCode = String(error.condition.rawValue)
        ascii("ERR")
        fields(1)
        if legacy {
            // ERR-1 (ELD): segment ^ sequence ^ field ^ code & text & table.
            for part in location {
                text(part)
                out.append(d.component)
            }
            ascii(conditionCode)
            out.append(d.subcomponent)
            text(error.condition.text)
            out.append(d.subcomponent)
            ascii("HL70357")
        } else {
            fields(1)  // ERR-2 (ERL)
            if error.segmentID != nil {
                text(location[0])
                out.append(d.component)
                text(location[1])
                out.append(d.component)
                text(location[2])
            }
            fields(1)  // ERR-3 (CWE)
            ascii(conditionCode)
            out.append(d.component)
            text(error.condition.text)
            out.append(d.component)
            ascii("HL70357")
            fields(1)  // ERR-4 severity
            ascii("E")
            fields(4)  // ERR-8 user message
            text(error.text)
        }
        out.append(ER7Scanner.cr)
        return out
    }

    /// v2.1–2.4 use MSA-3 and ERR-1; later versions ERR-2..8.
    private static func isBefore25(_ version: String?) -> Bool {
        guard let version else { return false }
        let parts = version.split(separator: ".").compactMap { Int($0) }
        guard parts.count >= 2, parts[0] == 2 else { return false }
        return parts[1] < 5
    }
}
