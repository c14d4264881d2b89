/// The three states of an HL7 value.
///
/// HL7 gives an empty field (`||`) and a field that is not sent at all the same meaning, "not valued", so
/// both are `.absent`. A field holding exactly `""` is an explicit null: the receiver must delete its copy.
public enum HL7Value: Hashable, Sendable {
    case absent
    case null
    case value(String)

    /// The text, or nil when absent or null.
    public var string: String? {
        if case .value(let text) = self { return text }
        return nil
    }

    public var isNull: Bool { self == .null }
    public var isAbsent: Bool { self == .absent }
}
