/// One input file as the report lists it: what it is and what was understood of it.
///
/// Every file of the bundle gets an entry, including the ones nothing could be read from, so
/// nothing is dropped silently.
public struct InventoryEntry: Sendable, Hashable, Codable {
    /// Path inside the bundle; archive members are shown as `archive.zip!member/path`.
    public var path: String
    public var kind: InputKind
    /// Sub-format, e.g. `openai-python-1.x`, `litellm`, `mitmproxy`, `one-api`.
    public var format: String?
    /// Decompressed size in bytes.
    public var bytes: Int
    /// Containers peeled off to reach the text, outermost first (`zip`, `gzip`, `tar`).
    public var compression: [String]
    public var lines: Int
    public var exchanges: Int
    /// Lines the parser did not understand.
    public var skippedLines: Int
    /// Why lines or the whole file were skipped, with counts (e.g. "no parser for this content").
    public var skipped: [String]
    public var problems: [Problem]
    /// What this source cannot say (e.g. openai 3.x logs carry no URL or body).
    public var notes: [String]

    public init(path: String, kind: InputKind = .unknown, format: String? = nil, bytes: Int = 0,
                compression: [String] = [], lines: Int = 0, exchanges: Int = 0, skippedLines: Int = 0,
                skipped: [String] = [], problems: [Problem] = [], notes: [String] = []) {
        self.path = path; self.kind = kind; self.format = format; self.bytes = bytes
        self.compression = compression; self.lines = lines; self.exchanges = exchanges
        self.skippedLines = skippedLines; self.skipped = skipped; self.problems = problems; self.notes = notes
    }
}
