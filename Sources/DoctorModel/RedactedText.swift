/// Text that has been through the redactor. Renderers take only this type for anything that
/// came from the bundle, so raw evidence cannot reach the output by mistake: the only way to
/// make one from bundle text is `Redactor.redact(_:)`.
public struct RedactedText: Sendable, Hashable, Comparable, CustomStringConvertible {
    public let value: String

    /// For redactor use only.
    package init(unchecked value: String) { self.value = value }

    /// Text the program wrote itself (rule titles with no placeholders, fixed labels). It is
    /// still scanned by the output gate before anything is written.
    public init(literal: StaticString) { self.value = "\(literal)" }

    public var description: String { value }
    public var isEmpty: Bool { value.isEmpty }
    public static func < (a: RedactedText, b: RedactedText) -> Bool { a.value < b.value }

    /// Joins redacted texts; the result is still redacted.
    public static func + (a: RedactedText, b: RedactedText) -> RedactedText { RedactedText(unchecked: a.value + b.value) }
}
