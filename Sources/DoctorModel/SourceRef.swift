/// Where a piece of evidence came from: a file's path inside the bundle and a 1-based line range.
///
/// Paths are display labels relative to the input root (an archive member is shown as
/// `bundle.zip!logs/app.log`); they are never turned back into file-system paths.
public struct SourceRef: Hashable, Sendable, Comparable, Codable {
    public var file: String
    public var line: Int
    public var endLine: Int

    public init(file: String, line: Int, endLine: Int? = nil) {
        self.file = file
        self.line = line
        self.endLine = max(endLine ?? line, line)
    }

    /// `file:line` or `file:line-end`.
    public var description: String {
        endLine > line ? "\(file):\(line)-\(endLine)" : "\(file):\(line)"
    }

    public static func < (a: SourceRef, b: SourceRef) -> Bool {
        (a.file, a.line, a.endLine) < (b.file, b.line, b.endLine)
    }
}

/// One raw line kept as evidence, with its position. Raw text is never rendered directly:
/// it goes through the redactor first (see `Redactor.excerpt`).
public struct SourceLine: Hashable, Sendable {
    public var ref: SourceRef
    public var text: String

    public init(ref: SourceRef, text: String) {
        self.ref = ref
        // Evidence lines are capped so a 30 kB request dump does not become a 30 kB excerpt.
        // utf8.count is O(1) for native strings; count (characters) would walk the line.
        self.text = text.utf8.count > 4000 ? String(text.prefix(4000)) + "…" : text
    }
}
