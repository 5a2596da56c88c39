import DoctorIngest
import DoctorModel
import Foundation

/// Reads HAR 1.2 captures (mitmproxy, Chrome/Edge DevTools, Firefox, Playwright, Charles,
/// Fiddler) into exchanges, one per API call.
///
/// A well-formed document is read entry by entry as its bytes arrive (`HAR.EntryStream`), so
/// neither the whole file nor a tree of it is held; anything else is decoded whole into narrow
/// structs (`HAR.Document`), never into a generic JSON tree. A byte scan
/// (`HAR.scanEntries`) gives each entry its line, so evidence points into the file. Page assets are counted in a note, not turned into exchanges (see
/// `HAR.skipReason` for the rule). A file that is not valid JSON gets a problem naming the
/// byte offset; when it was cut short, the entries that are complete are still read.
public struct HARParser: LogParser {
    public static let kind = InputKind.har
    public static let readsWholeDocument = true
    public static let readsDocumentInParts = true

    /// A JSON object whose first bytes show `"log"` and one of HAR's own keys.
    public static func sniff(_ input: SniffInput) -> Sniff? {
        let head = input.text.prefix(4096)
        guard let first = head.first(where: { !$0.isWhitespace }), first == "{" else { return nil }
        let t = String(input.text.prefix(16384))
        guard ByteSearch.contains(t, "\"log\""),
              ByteSearch.contains(t, "\"entries\"") || ByteSearch.contains(t, "\"version\"")
                || ByteSearch.contains(t, "\"creator\"") else { return nil }
        return Sniff(kind: .har, format: format(creator: creatorName(in: t)), score: 95)
    }

    /// The sub-format named after the producer.
    static func format(creator: String?) -> String {
        guard let name = creator?.lowercased() else { return "har" }
        let known: [(String, String)] = [
            ("mitmproxy", "mitmproxy"), ("playwright", "playwright"), ("webinspector", "chrome"),
            ("chromium", "chrome"), ("chrome", "chrome"), ("edge", "chrome"), ("firefox", "firefox"),
            ("charles", "charles"), ("fiddler", "fiddler"),
        ]
        return known.first { name.contains($0.0) }?.1 ?? "har"
    }

    /// `creator.name` read from raw text without decoding (the sniff sees only a prefix).
    static func creatorName(in text: String) -> String? {
        guard let c = text.range(of: "\"creator\""),
              let n = text[c.upperBound...].prefix(400).range(of: "\"name\"") else { return nil }
        let rest = text[n.upperBound...].drop { $0 == " " || $0 == ":" || $0 == "\n" || $0 == "\t" || $0 == "\r" }
        guard rest.first == "\"" else { return nil }
        return String(rest.dropFirst().prefix { $0 != "\"" })
    }

    private let path: String
    private var format: String
    private var out = ParseOutput()
    /// The document read in parts so far (`consume(documentPart:)`).
    private var parts: HAR.EntryStream?

    public init(path: String, sniff: Sniff) {
        self.path = path
        self.format = sniff.format ?? "har"
    }

    public mutating func consume(_ line: Line) {}

    /// The next bytes of the document, read entry by entry as they come.
    public mutating func consume(documentPart: ArraySlice<UInt8>) {
        if parts == nil { parts = HAR.EntryStream(file: path, browser: isBrowser) }
        parts!.feed(documentPart)
    }

    /// True when the parts made a well-formed document and its exchanges are read; false when
    /// the caller must hand over the whole document (`consume(document:)`), which then reads
    /// it as if no part had been given.
    public mutating func finishDocumentParts() -> Bool {
        guard var stream = parts.take() else { return false }
        return take(stream.finish(), browser: stream.browser)
    }

    /// Keeps what an `EntryStream` read, unless the document's creator makes it a browser
    /// capture when the entries were read as not one (or the reverse).
    private mutating func take(_ read: (tally: HAR.EntryTally, creatorName: String?)?, browser: Bool) -> Bool {
        guard let read else { return false }
        let final = read.creatorName.map { Self.format(creator: $0) } ?? format
        guard Self.isBrowser(final) == browser else { return false }
        format = final
        keep(read.tally)
        return true
    }

    public mutating func consume(document: [UInt8]) {
        guard document.contains(where: { $0 > 0x20 }) else {
            out.problems.append(Problem(.error, location: path, message: "empty HAR file"))
            return
        }
        // Entry by entry first: the same answer as the passes below for the documents it takes.
        var stream = HAR.EntryStream(file: path, browser: isBrowser)
        document.withUnsafeBytes { stream.read(whole: $0) }
        if take(stream.finish(), browser: stream.browser) { return }
        // Two independent passes over the bytes, side by side: where the entries are, and
        // whether the document is strictly valid JSON (the fast path's condition).
        let (spans, plain) = document.withUnsafeBytes { raw in
            ParallelMap.both({ HAR.scanEntries(raw) }, { HAR.isPlainJSON(raw) })
        }
        if plain, document.withUnsafeBytes({ readPlain($0, spans: spans) }) { return }
        do {
            // The decoder reads the buffer in place: a `Data` copy would hold the document twice.
            let doc = try document.withUnsafeBytes { raw in
                try JSONDecoder().decode(HAR.Document.self, from: Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress!),
                                                                      count: raw.count, deallocator: .none))
            }
            guard let log = doc.log, let entries = log.entries else {
                out.problems.append(Problem(.error, location: path, message: "valid JSON but not a HAR: no log.entries"))
                return
            }
            if let name = log.creator?.name { format = Self.format(creator: name) }
            let lines = spans.count == entries.count ? spans.map(\.line) : Array(repeating: 1, count: entries.count)
            read(entries, lines: lines)
        } catch {
            reportInvalid(document, decodeError: error)
            salvage(document, spans: spans)
        }
    }

    /// The fast path (for a document `HAR.isPlainJSON` passed): a well-formed document in the usual shape, each entry read from its bytes
    /// in turn and a page asset set aside before its body text is decoded. Gives what the
    /// decoder path gives; false (nothing done) when the document is not one it can take.
    private mutating func readPlain(_ raw: UnsafeRawBufferPointer, spans: [HAR.EntrySpan]) -> Bool {
        guard let b = HAR.Bytes(raw), let layout = HAR.layout(b, spans: spans) else { return false }
        if let name = layout.creatorName { format = Self.format(creator: name) }
        let useSpans = spans.count == layout.entries.count
        let browser = isBrowser, file = path
        // Entries are independent: they are read on every core, then taken in file order.
        let results = ParallelMap.map(count: layout.entries.count) { k -> HAR.EntryResult in
            HAR.entryResult(b, at: layout.entries[k], file: file, line: useSpans ? spans[k].line : 1, browser: browser)
        }
        read(count: results.count) { results[$0] }
        return true
    }

    private mutating func reportInvalid(_ document: [UInt8], decodeError: any Error) {
        if let e = document.withUnsafeBytes({ HAR.firstSyntaxError($0) }) {
            out.problems.append(Problem(.error, location: "\(path)@\(e.offset)",
                                        message: "invalid JSON at byte \(e.offset) (line \(e.line)): \(e.message)"))
        } else {
            out.problems.append(Problem(.error, location: path, message: "not a HAR document: \(decodeError)"))
        }
    }

    /// Decodes the complete entries of a broken file one by one.
    private mutating func salvage(_ document: [UInt8], spans: [HAR.EntrySpan]) {
        var entries: [HAR.Entry] = []
        var lines: [Int] = []
        for span in spans {
            guard let end = span.end,
                  let e = try? JSONDecoder().decode(HAR.Entry.self, from: Data(document[span.start..<end])) else { continue }
            entries.append(e)
            lines.append(span.line)
        }
        guard !entries.isEmpty || !spans.isEmpty else { return }
        read(entries, lines: lines)
        let cut = spans.count - entries.count
        out.notes.append("salvaged \(entries.count) complete entr\(entries.count == 1 ? "y" : "ies") from the damaged file"
            + (cut > 0 ? " (\(cut) incomplete or unreadable)" : ""))
    }

    private var isBrowser: Bool { Self.isBrowser(format) }
    private static func isBrowser(_ format: String) -> Bool { ["chrome", "firefox", "playwright"].contains(format) }

    private mutating func read(_ entries: [HAR.Entry], lines: [Int]) {
        let browser = isBrowser, file = path
        read(count: entries.count) { i in
            let (x, reason) = entries[i].exchange(file: file, line: lines[i], browser: browser)
            return (x, reason, x == nil && reason == "page-asset" ? entries[i].assetKind : "")
        }
    }

    /// Turns `count` entries into exchanges and notes; `entry(i)` gives the exchange of the
    /// i-th entry or why it was skipped, and the entry (for the page-asset kinds).
    private mutating func read(count: Int, _ entry: (Int) -> HAR.EntryResult) {
        var tally = HAR.EntryTally()
        for i in 0..<count { tally.add(entry(i)) }
        keep(tally)
    }

    /// The exchanges and notes of the entries `tally` counted.
    private mutating func keep(_ tally: consuming HAR.EntryTally) {
        out.lines = tally.entries
        out.notes += tally.notes
        // Handed over, not copied (`out` has no exchange before this).
        if out.exchanges.isEmpty { out.exchanges = tally.exchanges } else { out.exchanges += tally.exchanges }
    }

    public mutating func finish() -> ParseOutput {
        // Handed over, not shared: the caller stamps every exchange, which would copy them all.
        defer { out = ParseOutput() }
        out.format = format
        return out
    }
}

extension HAR.Entry {
    /// A short name for what kind of page asset this is (`document`, `script`, `ico` …).
    var assetKind: String {
        if let t = resourceType, !t.isEmpty { return t.lowercased() }
        let path = URLParts(url: request?.url ?? "").path
        if let last = path.split(separator: "/").last, let dot = last.lastIndex(of: ".") {
            return String(last[last.index(after: dot)...]).lowercased()
        }
        return "document"
    }
}
