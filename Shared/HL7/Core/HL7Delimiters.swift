/// The encoding characters of one message, read from MSH-1 and MSH-2 (or FHS/BHS-1 and -2).
public struct HL7Delimiters: Hashable, Sendable {
    public var field: UInt8
    public var component: UInt8
    public var repetition: UInt8
    public var escape: UInt8
    public var subcomponent: UInt8
    /// The v2.7 truncation character (MSH-2 position 5), if the message declares one. It marks a value cut
    /// short by the sender; it is not a delimiter, so values keep it as it appears.
    public var truncation: UInt8?

    /// `|^~\&`, the characters nearly every sender uses; only for building messages, never assumed when parsing.
    public static let standard = HL7Delimiters(
        field: UInt8(ascii: "|"), component: UInt8(ascii: "^"), repetition: UInt8(ascii: "~"),
        escape: UInt8(ascii: "\\"), subcomponent: UInt8(ascii: "&"), truncation: nil)

    public init(
        field: UInt8, component: UInt8, repetition: UInt8, escape: UInt8, subcomponent: UInt8, truncation: UInt8?
    ) {
        self.field = field
        self.component = component
        self.repetition = repetition
        self.escape = escape
        self.subcomponent = subcomponent
        self.truncation = truncation
    }

    /// Reads the separator byte and the MSH-2 bytes. HL7 requires the four characters in order (a fifth, the
    /// truncation character, since v2.7); each must be printable, not a letter or digit, and all distinct,
    /// or splitting would be ambiguous.
    init?(field: UInt8, encodingCharacters chars: some Collection<UInt8>) {
        guard (4...5).contains(chars.count), Self.isUsable(field) else { return nil }
        var seen: [UInt8] = [field]
        for byte in chars {
            guard Self.isUsable(byte), !seen.contains(byte) else { return nil }
            seen.append(byte)
        }
        self.init(
            field: field, component: seen[1], repetition: seen[2], escape: seen[3], subcomponent: seen[4],
            truncation: seen.count > 5 ? seen[5] : nil)
    }

    /// The MSH-2 text for these delimiters.
    public var encodingCharacters: [UInt8] {
        var bytes = [component, repetition, escape, subcomponent]
        if let truncation { bytes.append(truncation) }
        return bytes
    }

    static func isUsable(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E: true
        default: false
        }
    }
}
