import DoctorIngest
import DoctorModel

/// What a sniffer saw at the start of a file.
public struct SniffInput: Sendable {
    /// Display path (for the rare format that really is named by convention, never decisive).
    public let path: String
    /// The first bytes (up to 64 KiB), decoded as UTF-8 with replacement.
    public let text: String
    /// The first lines of `text` (up to 200).
    public let lines: [String]
    /// True when `text` holds the whole file.
    public let isWholeFile: Bool

    public init(path: String, text: String, isWholeFile: Bool) {
        self.path = path
        self.text = text
        self.isWholeFile = isWholeFile
        var ls: [String] = []
        text.enumerateLines { line, stop in
            ls.append(line)
            if ls.count >= 200 { stop = true }
        }
        if !isWholeFile && ls.count > 1 && ls.count < 200 { ls.removeLast() }  // last line may be cut
        self.lines = ls
    }
}

/// A sniffer's verdict: this parser can read the file, with a score (higher wins).
public struct Sniff: Sendable, Hashable {
    public var kind: InputKind
    /// Sub-format shown in the inventory (`openai-python-1.x`, `litellm`, `mitmproxy` …).
    public var format: String?
    /// 1…100; 100 = unmistakable (e.g. HAR's `"log": {"version"`), 10 = weak guess.
    public var score: Int
    public init(kind: InputKind, format: String? = nil, score: Int) {
        self.kind = kind; self.format = format; self.score = score
    }
}

/// Everything a parser learnt from one file.
public struct ParseOutput: Sendable {
    public var exchanges: [Exchange] = []
    /// Refined sub-format once the whole file was seen (overrides the sniff's).
    public var format: String?
    public var lines: Int = 0
    /// Lines not understood, with up to a few of their numbers for the inventory.
    public var skippedLines: Int = 0
    public var skippedSamples: [Int] = []
    public var problems: [Problem] = []
    /// What this source cannot say, e.g. "openai 3.x logs carry no request URL or body".
    public var notes: [String] = []
    /// Bundle-level signals seen outside any exchange: a proxy variable, a Docker hint, the
    /// configured base URL, the customer's own words. Rules can test them.
    public var signals: [Signal] = []

    public init() {}

    /// Counts a line as not understood.
    public mutating func skip(_ line: Line) {
        skippedLines += 1
        if skippedSamples.count < 5 { skippedSamples.append(line.number) }
    }
}


/// One input format. Adding a format = one file conforming to this + one line in
/// `ParserRegistry.all`.
public protocol LogParser {
    /// The kind this parser produces.
    static var kind: InputKind { get }
    /// Cheap look at the start of a file; nil when it is not this format.
    static func sniff(_ input: SniffInput) -> Sniff?
    /// Whether the parser reads the file line by line (logs) or as one document (HAR).
    static var readsWholeDocument: Bool { get }

    init(path: String, sniff: Sniff)
    /// Line mode: called once per line in order.
    mutating func consume(_ line: Line)
    /// Line mode, first look: reads a line from its bytes alone where that gives what
    /// `consume(_:)` would, and returns true; false when the line's text is needed (nothing
    /// of this call is left done, and the caller makes the `Line` for `consume(_:)`). Lines
    /// most of which only a prefix test reads then never become a `String`.
    mutating func consume(bytes line: LineBytes) -> Bool
    /// Document mode: called once with the whole (decompressed) file.
    mutating func consume(document: [UInt8])
    /// Whether a document-mode parser can read its document in parts as they arrive
    /// (`consume(documentPart:)`), so the file need not be held whole.
    static var readsDocumentInParts: Bool { get }
    /// Parts mode: called with each part of the file in order.
    mutating func consume(documentPart: ArraySlice<UInt8>)
    /// Parts mode, after the last part: true when the parts were read; false when the parser
    /// needs the whole document after all (an unusual or damaged file), and the caller then
    /// calls `consume(document:)` with the same bytes.
    mutating func finishDocumentParts() -> Bool
    /// Line mode in parts: whether a large input may be cut into runs of lines, each starting
    /// at a line `startsPart` accepts, parsed apart by fresh parsers (on several cores) and
    /// joined in order with `absorb`.
    static var readsLinesInParts: Bool { get }
    /// A line at which the parser's state is known well enough to start a part there
    /// (`previous` is the line before it).
    static func startsPart(_ line: String, previous: String) -> Bool
    /// Gives a fresh `part` what it may assume of the state this parser would carry into it
    /// (`absorb` checks those assumptions).
    func seed(_ part: inout Self)
    /// Takes over what `other` (a part read before) keeps only to read faster: memos, shared
    /// strings. Never changes what is read.
    mutating func reuseCaches(of other: Self)
    /// Takes in `part`, a fresh parser that read the lines from a `startsPart` line on, as if
    /// this parser had read those lines itself. False when that cannot be known to give the
    /// same result (the part read state from before its start that differs here): the caller
    /// then feeds the part's lines to this parser instead. What a `false` leaves done is what
    /// reading the part's first line would have done first, so that feeding stays exact.
    mutating func absorb(_ part: inout Self) -> Bool
    /// Called once at the end (also after a read error); returns all that was understood and
    /// keeps none of it (the caller then changes the exchanges without copying them).
    mutating func finish() -> ParseOutput
}

extension LogParser {
    public static var readsWholeDocument: Bool { false }
    public mutating func consume(_ line: Line) {}
    public mutating func consume(bytes line: LineBytes) -> Bool { false }
    public mutating func consume(document: [UInt8]) {}
    public static var readsDocumentInParts: Bool { false }
    public mutating func consume(documentPart: ArraySlice<UInt8>) {}
    public mutating func finishDocumentParts() -> Bool { false }
    public static var readsLinesInParts: Bool { false }
    public static func startsPart(_ line: String, previous: String) -> Bool { false }
    public func seed(_ part: inout Self) {}
    public mutating func reuseCaches(of other: Self) {}
    public mutating func absorb(_ part: inout Self) -> Bool { false }
}
