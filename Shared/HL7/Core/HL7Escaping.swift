/// HL7 escape sequences (v2.x chapter 2): decoded when text is read, written when we build messages.
public enum HL7Escaping {
    /// Decodes `\F\ \S\ \T\ \R\ \E\ \L\` to the message's own delimiters, `\Xhh..\` to bytes in the message's
    /// character set, `\.br\`, `\.sp\` and `\.ce\` to a line break, `\.sk\` to a space. Highlighting
    /// (`\H\ \N\`), indents (`\.in\ \.ti\`), fill mode (`\.fi\ \.nf\`) and character-set switches
    /// (`\Cxxyy\ \Mxxyyzz\`) are dropped: formatting goes, text stays. Anything else (local `\Z..\`,
    /// unknown or unterminated sequences, odd hex) is kept as written, so nothing is lost.
    static func decode(_ storage: HL7Storage, _ range: Range<Int>) -> String {
        storage.bytes.withUnsafeBufferPointer { p in
            let text = UnsafeBufferPointer(rebasing: p[range])
            guard text.contains(storage.delimiters.escape) else { return storage.charset.decodeChecked(text) }
            var out: [UInt8] = []
            out.reserveCapacity(text.count)
            unescape(text, storage.delimiters, into: &out)
            return out.withUnsafeBufferPointer { storage.charset.decode($0) }
        }
    }

    static func unescape(_ text: UnsafeBufferPointer<UInt8>, _ d: HL7Delimiters, into out: inout [UInt8]) {
        let esc = d.escape
        var i = 0
        let n = text.count
        while i < n {
            let b = text[i]
            if b != esc {
                out.append(b)
                i += 1
                continue
            }
            var j = i + 1
            while j < n, text[j] != esc { j += 1 }
            guard j < n, j > i + 1 else {
                // No closing escape, or an empty `\\`: keep the escape character as text.
                out.append(b)
                i += 1
                continue
            }
            let body = UnsafeBufferPointer(rebasing: text[(i + 1)..<j])
            if !expand(body, d, into: &out) { out.append(contentsOf: text[i...j]) }
            i = j + 1
        }
    }

    /// Appends what one sequence stands for; false if it is not one we interpret.
    private static func expand(_ body: UnsafeBufferPointer<UInt8>, _ d: HL7Delimiters, into out: inout [UInt8]) -> Bool
    {
        let first = body[0]
        if body.count == 1 {
            switch first {
            case UInt8(ascii: "F"): out.append(d.field)
            case UInt8(ascii: "S"): out.append(d.component)
            case UInt8(ascii: "T"): out.append(d.subcomponent)
            case UInt8(ascii: "R"): out.append(d.repetition)
            case UInt8(ascii: "E"): out.append(d.escape)
            case UInt8(ascii: "L"):
                guard let truncation = d.truncation else { return false }
                out.append(truncation)
            case UInt8(ascii: "H"), UInt8(ascii: "N"): break
            default: return false
            }
            return true
        }
        switch first {
        case UInt8(ascii: "X"):
            return appendHex(UnsafeBufferPointer(rebasing: body[1...]), into: &out)
        case UInt8(ascii: "C"), UInt8(ascii: "M"):
            // ISO 2022 switches (\Cxxyy\, \Mxxyyzz\): hex digits only, else not ours.
            let digits = body.count - 1
            return (digits == 4 || digits == 6) && body[1...].allSatisfy { hexValue($0) != nil }
        case UInt8(ascii: "."):
            return formatting(UnsafeBufferPointer(rebasing: body[1...]), into: &out)
        default:
            return false
        }
    }

    private static func formatting(_ command: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        guard command.count >= 2 else { return false }
        let name = (command[0], command[1])
        let argument = command[2...]
        // Arguments are an optional sign and digits (`\.sp2\`, `\.in+4\`, `\.ti-2\`).
        let argumentOK = argument.enumerated().allSatisfy { index, byte in
            (byte >= 0x30 && byte <= 0x39) || (index == 0 && (byte == 0x2B || byte == 0x2D)) || byte == 0x20
        }
        guard argumentOK else { return false }
        switch name {
        case (UInt8(ascii: "b"), UInt8(ascii: "r")) where argument.isEmpty: out.append(0x0A)
        case (UInt8(ascii: "s"), UInt8(ascii: "p")), (UInt8(ascii: "c"), UInt8(ascii: "e")): out.append(0x0A)
        case (UInt8(ascii: "s"), UInt8(ascii: "k")): out.append(0x20)
        case (UInt8(ascii: "i"), UInt8(ascii: "n")), (UInt8(ascii: "t"), UInt8(ascii: "i")): break
        case (UInt8(ascii: "f"), UInt8(ascii: "i")), (UInt8(ascii: "n"), UInt8(ascii: "f")): break
        default: return false
        }
        return true
    }

    private static func appendHex(_ digits: UnsafeBufferPointer<UInt8>, into out: inout [UInt8]) -> Bool {
        guard !digits.isEmpty, digits.count % 2 == 0 else { return false }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var k = 0
        while k < digits.count {
            guard let high = hexValue(digits[k]), let low = hexValue(digits[k + 1]) else { return false }
            bytes.append(high << 4 | low)
            k += 2
        }
        out.append(contentsOf: bytes)
        return true
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// Writes `text` for use inside a field: delimiters and the escape character become `\F\ \S\ \T\ \R\ \E\`
    /// (and the truncation character `\L\`), line breaks `\.br\`.
    public static func encode(_ text: String, delimiters d: HL7Delimiters) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var previousCR = false
        for byte in text.utf8 {
            defer { previousCR = byte == 0x0D }
            let code: UInt8?
            switch byte {
            case d.field: code = UInt8(ascii: "F")
            case d.component: code = UInt8(ascii: "S")
            case d.subcomponent: code = UInt8(ascii: "T")
            case d.repetition: code = UInt8(ascii: "R")
            case d.escape: code = UInt8(ascii: "E")
            case d.truncation: code = UInt8(ascii: "L")
            case 0x0A where previousCR: continue
            case 0x0A, 0x0D:
                out.append(d.escape)
                out.append(contentsOf: Array(".br".utf8))
                out.append(d.escape)
                continue
            default: code = nil
            }
            if let code {
                out.append(d.escape)
                out.append(code)
                out.append(d.escape)
            } else {
                out.append(byte)
            }
        }
        return out
    }
}
