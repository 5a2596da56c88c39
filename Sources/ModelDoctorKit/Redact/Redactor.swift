import Foundation

/// Placeholder: the real redactor replaces this file.
public final class Redactor: @unchecked Sendable {
    public struct Options: Sendable, Hashable {
        /// Keep prompt/completion text (`--show-content`).
        public var showContent = false
        /// Turn redaction off (`--no-redact`, local use only).
        public var disabled = false
        public init(showContent: Bool = false, disabled: Bool = false) {
            self.showContent = showContent; self.disabled = disabled
        }
    }

    public let options: Options
    public init(options: Options = Options()) { self.options = options }

    /// Redacts one piece of bundle text.
    public func redact(_ text: String, file: String? = nil) -> RedactedText { RedactedText(unchecked: text) }

    /// `prefix…last4 #hash`, the same for the same credential within a run.
    public func fingerprint(_ credential: String) -> String { String(credential.prefix(3)) + "…" + String(credential.suffix(4)) }

    /// Records a secret met in the input so the output gate can look for it verbatim.
    public func learn(secret: String) {}

    /// The last check before anything is written: throws when a secret shape or a learnt
    /// secret is still in `output` (fail closed).
    public func gate(_ output: String) throws -> String { output }

    /// Counts by kind and by file, never values.
    public var summary: RedactionSummary { RedactionSummary() }
}

/// What was redacted, by kind and by file (never the values).
public struct RedactionSummary: Sendable, Hashable, Codable {
    public var byKind: [String: Int] = [:]
    public var byFile: [String: Int] = [:]
    public var total: Int { byKind.values.reduce(0, +) }
    public init() {}
}
