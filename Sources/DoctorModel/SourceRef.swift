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
///
/// The text is stored in two parts, `head + tail`: a parser may hand over the part after a
/// line's logging prefix as a string shared with every other line that says the same thing
/// (a dense log repeats a few messages thousands of times, only the timestamps differ), so
/// each kept line holds its own prefix only. `text` is always the line exactly as read.
public struct SourceLine: Hashable, Sendable {
    public var ref: SourceRef
    private var head: String
    private var tail: String

    public var text: String {
        get { tail.isEmpty ? head : head + tail }
        set { head = newValue; tail = "" }
    }

    public init(ref: SourceRef, text: String) {
        self.ref = ref
        self.head = Self.capped(text)
        self.tail = ""
    }

    /// A line whose text is `head + sharedTail`; `sharedTail` is meant to be a string that
    /// other lines hold too. Capped like any other line when the whole is too long.
    public init(ref: SourceRef, head: String, sharedTail: String) {
        self.ref = ref
        if head.utf8.count + sharedTail.utf8.count > Self.maxBytes {
            self.head = Self.capped(head + sharedTail)
            self.tail = ""
        } else {
            self.head = head
            self.tail = sharedTail
        }
    }

    /// A line over `maxBytes` already cut by its parser: its text is `head + cutTail`, which
    /// must be what `init(ref:text:)` makes of the whole line.
    public init(ref: SourceRef, head: String, cutTail: String) {
        self.ref = ref
        self.head = head
        self.tail = cutTail
    }

    public static let maxBytes = 4000

    /// The two stored parts as they are (`text` is `head + tail`), for `PackedLines`.
    var parts: (head: String, tail: String) { (head, tail) }

    /// A line from parts `parts` gave, stored as they are.
    init(ref: SourceRef, parts head: String, _ tail: String) {
        self.ref = ref
        self.head = head
        self.tail = tail
    }

    /// Number of UTF-8 bytes of `text`, without joining its parts.
    public var utf8Count: Int { head.utf8.count + tail.utf8.count }

    /// Appends `text` to `s` without making it first (a call's evidence text joins its lines).
    public func append(to s: inout String) {
        s.append(head)
        if !tail.isEmpty { s.append(tail) }
    }

    /// Appends the UTF-8 bytes of `text` to `bytes` without making it (a rule's byte-level
    /// prefilter reads a call's lines without joining them into one string first).
    public func appendUTF8(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: head.utf8)
        if !tail.isEmpty { bytes.append(contentsOf: tail.utf8) }
    }

    // Evidence lines are capped so a 30 kB request dump does not become a 30 kB excerpt.
    // utf8.count is O(1) for native strings; count (characters) would walk the line.
    private static func capped(_ text: String) -> String {
        text.utf8.count > maxBytes ? String(text.prefix(maxBytes)) + "…" : text
    }

    public static func == (a: SourceLine, b: SourceLine) -> Bool {
        a.ref == b.ref && a.text == b.text
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ref)
        hasher.combine(text)
    }
}
