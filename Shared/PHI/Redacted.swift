/// Identified types print as `TypeName(redacted)` in every form Swift offers — `description`,
/// `debugDescription`, `dump` and reflection — so an accidental log line or assertion message leaks nothing.
public protocol PHIRedacted: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {}

extension PHIRedacted {
    public var description: String { "\(Self.self)(redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
