import DoctorIngest
import DoctorModel
import Foundation

extension HAR {
    /// Cuts a HAR document into its `log.entries` elements as its bytes arrive, so each entry
    /// is read as soon as it is complete and its bytes are let go, instead of the whole file
    /// being held while every exchange is built (the document and its exchanges together
    /// were most of a HAR analysis's peak memory).
    ///
    /// The same string-aware bracket walk as `scanEntries`, giving the same spans and lines
    /// for a well-formed document, but resumable at any byte. Everything outside the entries
    /// (the `log` head, `creator`, `pages`, separators, closing brackets) is copied into
    /// `skeleton`, each entry replaced there by `{}`. The skeleton is small, and at the end it
    /// answers what the whole document would have: the document is strictly valid exactly when
    /// the skeleton is and every entry is (checked alone at its own depth), and its
    /// `log.entries` are the elements cut here exactly when `layout` of the skeleton finds the
    /// placeholders. Whatever it is fed, every byte lands either in the skeleton or in one
    /// entry, in order, so those checks are sound even when the walk was misled by bad input.
    struct EntryCutter {
        /// The bytes outside the entries, each entry replaced by `{}`.
        private(set) var skeleton: [UInt8] = []
        /// Offset in `skeleton` of each entry's `{}`.
        private(set) var placeholders: [Int] = []
        /// Absolute offset of the next byte to scan.
        private(set) var offset = 0
        /// Absolute offset of the `{` of the entry being cut; nil between entries.
        private(set) var entryStart: Int?
        /// Nesting depth of the entries (elements of `log.entries`) while that array is open;
        /// negative before it opens and after it closes.
        private var entriesDepth = -1
        /// Nesting depth of the entries, kept after their array closes (each entry is checked
        /// at it: `isPlainJSON(_:depth:)`).
        private(set) var entryDepth = 0
        private var entryLine = 0
        private var depth = 0, line = 1
        private var inString = false, escaped = false
        /// The last string closed outside the entries (without quotes), in `skeleton`.
        private var stringStart = 0, lastString = 0..<0

        /// Scans the bytes of `window` from `offset` on, to its end; `window` holds the
        /// document's bytes from absolute offset `base` (at most `offset`). `found` gets each
        /// entry completed here.
        mutating func scan(_ window: UnsafeRawBufferPointer, base: Int, _ found: (EntrySpan) -> Void) {
            guard let raw = window.baseAddress, offset - base < window.count else { return }
            let p = raw.assumingMemoryBound(to: UInt8.self)
            let n = window.count
            var i = offset - base
            precondition(i >= 0, "the window starts after the scan position")
            defer { offset = base + i }
            while i < n {
                if let start = entryStart {
                    i = scanEntry(p, i, n)
                    guard i < n else { break }
                    // `scanEntry` stopped on the entry's closing brace.
                    found(EntrySpan(start: start, end: base + i + 1, line: entryLine))
                    placeholders.append(skeleton.count)
                    skeleton.append(0x7B)
                    skeleton.append(0x7D)
                    entryStart = nil
                    depth -= 1
                    i += 1
                    continue
                }
                let c = p[i]
                if inString {
                    skeleton.append(c)
                    if escaped { escaped = false }
                    else if c == 0x5C { escaped = true }
                    else if c == 0x22 { inString = false; lastString = stringStart..<(skeleton.count - 1) }
                    else if c == 0x0A { line += 1 }
                    i += 1
                    continue
                }
                switch c {
                case 0x7B where entriesDepth > 0 && depth == entriesDepth:
                    // An entry starts: its bytes stay out of the skeleton.
                    entryStart = base + i
                    entryLine = line
                    depth += 1
                    i += 1
                    continue
                case 0x22: inString = true; stringStart = skeleton.count + 1
                case 0x0A: line += 1
                case 0x5B where entriesDepth < 0 && depth == 2 && isEntriesKey(lastString):
                    entriesDepth = depth + 1
                    entryDepth = entriesDepth
                    depth += 1
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    depth -= 1
                    if depth < entriesDepth { entriesDepth = -2 }  // the entries array is closed
                default: break
                }
                skeleton.append(c)
                i += 1
            }
        }

        /// Inside an entry: the offset of the brace that closes it, or `n` when the window
        /// ends first (the state is kept for the next window). Strings are stepped over eight
        /// bytes at a time where they hold no quote, backslash or newline, and runs of spaces
        /// eight at a time.
        private mutating func scanEntry(_ p: UnsafePointer<UInt8>, _ from: Int, _ n: Int) -> Int {
            // The state in locals for the loop (registers, not stores into `self` per byte).
            var depth = self.depth, line = self.line, inString = self.inString, escaped = self.escaped
            let closing = entriesDepth + 1
            defer { self.depth = depth; self.line = line; self.inString = inString; self.escaped = escaped }
            var i = from
            while i < n {
                if inString {
                    if escaped { escaped = false; i += 1; continue }
                    while i + 8 <= n {
                        let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
                        let q = x ^ 0x2222_2222_2222_2222, s = x ^ 0x5C5C_5C5C_5C5C_5C5C, l = x ^ 0x0A0A_0A0A_0A0A_0A0A
                        // A zero byte in q, s or l marks a quote, backslash or newline.
                        let special = (((q &- ones) & ~q) | ((s &- ones) & ~s) | ((l &- ones) & ~l)) & high
                        guard special == 0 else { break }
                        i += 8
                    }
                    guard i < n else { break }
                    let c = p[i]
                    if c == 0x5C { escaped = true }
                    else if c == 0x22 { inString = false }
                    else if c == 0x0A { line += 1 }
                    i += 1
                    continue
                }
                let c = p[i]
                if c == 0x20 {
                    // Indentation (most of a pretty-printed capture between its strings).
                    i += 1
                    while i + 8 <= n, UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020 { i += 8 }
                    continue
                }
                switch c {
                case 0x22: inString = true
                case 0x0A: line += 1
                case 0x7B, 0x5B: depth += 1
                case 0x7D:
                    if depth == closing { return i }
                    depth -= 1
                case 0x5D: depth -= 1
                default: break
                }
                i += 1
            }
            return n
        }

        private func isEntriesKey(_ r: Range<Int>) -> Bool {
            r.count == 7 && skeleton[r].elementsEqual("entries".utf8)
        }

        /// True when the input ended between values: not inside an entry or a string.
        var atRest: Bool { entryStart == nil && !inString }
    }

    /// An entry read: its exchange, or why it was skipped and (for a page asset) its kind.
    typealias EntryResult = (exchange: Exchange?, reason: String?, assetKind: String)

    /// The entries read so far: their exchanges in file order, the others counted by why they
    /// were skipped (and page assets by kind), for the parser's notes.
    struct EntryTally {
        private(set) var exchanges: [Exchange] = []
        /// Entries counted, exchanges or not.
        private(set) var entries = 0
        private var skipped: [String: Int] = [:]
        private var assetKinds: [String: Int] = [:]

        mutating func add(_ r: EntryResult) {
            entries += 1
            if let x = r.exchange { exchanges.append(x); return }
            let reason = r.reason ?? "unreadable entries"
            skipped[reason, default: 0] += 1
            if reason == "page-asset" { assetKinds[r.assetKind, default: 0] += 1 }
        }

        /// Page assets first, then successful preflights, then the other reasons by name.
        var notes: [String] {
            var skipped = skipped, notes: [String] = []
            if let n = skipped.removeValue(forKey: "page-asset") {
                let kinds = assetKinds.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
                notes.append("\(n) page-asset entr\(n == 1 ? "y" : "ies") not treated as API calls (\(kinds))")
            }
            if let n = skipped.removeValue(forKey: "CORS preflight") {
                notes.append("\(n) successful CORS preflight (OPTIONS) entr\(n == 1 ? "y" : "ies") not treated as API calls")
            }
            for (reason, n) in skipped.sorted(by: { $0.key < $1.key }) {
                notes.append("\(n) \(reason) skipped")
            }
            return notes
        }
    }

    /// The entry at `at` of a validated document read from its bytes: a page asset is set
    /// aside before its body texts are decoded.
    static func entryResult(_ b: Bytes, at: Int, file: String, line: Int, browser: Bool) -> EntryResult {
        var raw = readEntry(b, at)
        let (head, reason) = raw.entry.head(postHasText: raw.postText != nil)
        guard let head else { return (nil, reason, raw.entry.assetKind) }
        raw.loadTexts(b)
        return (raw.entry.exchange(head, file: file, line: line, browser: browser), nil, "")
    }

    /// Reads a HAR document entry by entry as its bytes arrive (`EntryCutter`), holding only
    /// the entries not yet read and the skeleton. Complete entries are read in batches, on
    /// every core; their bytes are dropped after. The results stand only if `finish` finds
    /// the whole document strictly valid and in the usual shape; otherwise the caller reads
    /// the document whole, as before, and gets what it always got.
    struct EntryStream {
        let file: String
        /// Whether the exchanges were built for a browser capture (read from the format known
        /// when reading started; `finish` checks the creator agrees).
        let browser: Bool
        private var cutter = EntryCutter()
        /// Bytes not yet dropped, from absolute offset `base`.
        private var pending: [UInt8] = []
        private var base = 0
        /// Complete entries not yet read, and their size.
        private var ready: [EntrySpan] = []
        private var readyBytes = 0
        /// What the entries read so far gave (kept as they are read: no second array of them).
        private(set) var tally = EntryTally()
        /// An entry was not strictly valid: the document is not one this reads.
        private(set) var failed = false

        /// Entries are read once this many bytes of them are waiting (a batch worth spreading
        /// over the cores); also the most bytes kept between entries.
        static let batchBytes = 4 << 20

        init(file: String, browser: Bool) {
            self.file = file
            self.browser = browser
        }

        /// The next bytes of the document.
        mutating func feed(_ chunk: ArraySlice<UInt8>) {
            guard !failed else { return }
            pending.append(contentsOf: chunk)
            var found: [EntrySpan] = []
            do {
                // A second reference only while scanning: `pending` is appended to uniquely after.
                let bytes = pending, start = base
                bytes.withUnsafeBytes { raw in cutter.scan(raw, base: start) { found.append($0) } }
            }
            for span in found { readyBytes += (span.end ?? span.start) - span.start }
            ready += found
            if readyBytes >= Self.batchBytes || (ready.isEmpty && pending.count >= Self.batchBytes) {
                readReady()
            }
        }

        /// The whole document at once (it stays the caller's: nothing is copied).
        mutating func read(whole doc: UnsafeRawBufferPointer) {
            precondition(base == 0 && pending.isEmpty && cutter.offset == 0, "read(whole:) on a started stream")
            var found: [EntrySpan] = []
            cutter.scan(doc, base: 0) { found.append($0) }
            ready = found
            take(Self.read(ready, in: doc, base: 0, depth: cutter.entryDepth, file: file, browser: browser))
        }

        /// Reads the waiting entries, then drops every byte no longer needed.
        private mutating func readReady() {
            do {
                let bytes = pending, spans = ready, start = base, depth = cutter.entryDepth, file = file, browser = browser
                take(bytes.withUnsafeBytes { Self.read(spans, in: $0, base: start, depth: depth, file: file, browser: browser) })
            }
            let keep = (cutter.entryStart ?? cutter.offset) - base
            pending.removeFirst(keep)
            base += keep
        }

        /// Keeps what `read` gave for the waiting entries.
        private mutating func take(_ read: [EntryResult?]) {
            ready.removeAll(keepingCapacity: true)
            readyBytes = 0
            guard !failed else { return }
            for r in read {
                guard let r else { failed = true; tally = EntryTally(); return }
                tally.add(r)
            }
        }

        /// The entries at `spans`, whose bytes are in `window` (from absolute offset `base`);
        /// nil for one that is not strictly valid JSON.
        private static func read(_ spans: [EntrySpan], in window: UnsafeRawBufferPointer, base: Int, depth: Int,
                                 file: String, browser: Bool) -> [EntryResult?] {
            ParallelMap.map(count: spans.count, minimum: 64) { k -> EntryResult? in
                let s = spans[k]
                let entry = UnsafeRawBufferPointer(rebasing: window[(s.start - base)..<(s.end! - base)])
                guard isPlainJSON(entry, depth: depth), let b = Bytes(entry) else { return nil }
                return entryResult(b, at: 0, file: file, line: s.line, browser: browser)
            }
        }

        /// The entries read and `creator.name`, when the whole document was strictly valid
        /// JSON and its `log.entries` are exactly the entries read; nil otherwise.
        mutating func finish() -> (tally: EntryTally, creatorName: String?)? {
            if !pending.isEmpty || !ready.isEmpty { readReady() }
            pending = []
            guard !failed, cutter.atRest else { return nil }
            let skeleton = cutter.skeleton, placeholders = cutter.placeholders
            let creator = skeleton.withUnsafeBytes { raw -> String?? in
                guard isPlainJSON(raw), let b = Bytes(raw), let layout = layout(b),
                      layout.entries == placeholders else { return nil }
                return .some(layout.creatorName)
            }
            guard let creator else { return nil }
            // Handed over: the stream keeps no reference, so the exchanges are not copied.
            defer { tally = EntryTally() }
            return (tally, creator)
        }
    }
}
