import DoctorIngest
import DoctorModel
import DoctorParse

/// The output gate: the last check on rendered output before it is written.
extension Redactor {
    /// Scans the whole rendered `output` once more and returns it unchanged when clean.
    ///
    /// It runs the redaction scanner itself (with content allowed), so anything redaction
    /// would still change counts as a leak: a secret-named header or field with a live value,
    /// a key shape, a learnt secret verbatim. It also looks for any 12-character stretch of a
    /// learnt secret's body (a key cut in half is still a leak). When redaction is disabled
    /// (`--no-redact`) everything passes.
    /// - Throws: `RedactionError.leak(kind:position:)`, which never contains the secret.
    /// - Complexity: O(n) in the output's bytes, plus O(n·k) for k learnt secrets.
    public func gate(_ output: String) throws -> String {
        if options.disabled { return output }
        let bytes = Array(output.utf8)
        let material = gateMaterial()
        var state = LineState()
        // Line by line as `split(separator: 10, omittingEmptySubsequences: false)` gives them
        // (the last one after the final newline too), without that array of slices: 32 bytes a
        // line, and a dense log's JSON report lists every call's index on a line of its own.
        var offset = 0
        while true {
            let end = bytes[offset...].firstIndex(of: 10) ?? bytes.count
            var scanner = LineScanner(Array(bytes[offset..<end]), showContent: true)
            scanner.scan(state: &state, learnt: material.learnt)
            if let span = scanner.spans.first(where: { $0.kind != .content }) {
                throw RedactionError.leak(kind: span.kind.rawValue, position: offset + span.range.lowerBound)
            }
            guard end < bytes.count else { break }
            offset = end + 1
        }
        if !material.windows.isEmpty && bytes.count >= 12 {
            for i in 0...(bytes.count - 12) where material.heads.contains(Self.head(bytes[i..<(i + 8)])) {
                if material.windows.contains(Array(bytes[i..<(i + 12)])) {
                    throw RedactionError.leak(kind: SecretKind.learntSecret.rawValue, position: i)
                }
            }
        }
        return output
    }

    /// The gate for text the program assembled from redacted parts.
    public func gate(_ output: RedactedText) throws -> RedactedText {
        _ = try gate(output.value)
        return output
    }
}
