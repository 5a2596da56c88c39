import DoctorIngest
import Foundation
import Testing
@testable import DoctorModel
@testable import DoctorParse
import TestSupport

/// The HAR read as its bytes arrive (HAR+Stream): where entries start and end whatever the
/// chunk boundaries, what the skeleton keeps, and the same output as the whole-document read.
@Suite struct HARStreamTests {
    static let fixtures = [
        "har/mitmproxy-sse.har", "har/mitmproxy-stream.har", "har/playwright-empty-list.har",
        "har/mitmproxy-oneapi-base64.har", "har/mitmproxy-html.har", "har/playwright-models-shape.har",
        "har/mitmproxy-newapi-quota.har", "merge/capture.har", "redact/bundle/browser.har",
    ]

    /// Cuts `doc` fed in parts of `size` bytes: the spans found, and the cutter after.
    static func cut(_ doc: [UInt8], size: Int) -> ([HAR.EntrySpan], HAR.EntryCutter) {
        var cutter = HAR.EntryCutter()
        var spans: [HAR.EntrySpan] = []
        var kept: [UInt8] = [], base = 0
        var at = 0
        while at < doc.count {
            kept += doc[at..<min(doc.count, at + size)]
            at += size
            kept.withUnsafeBytes { raw in cutter.scan(raw, base: base) { spans.append($0) } }
            // Drop what the cutter no longer needs, as `EntryStream` does.
            let keep = (cutter.entryStart ?? cutter.offset) - base
            kept.removeFirst(keep)
            base += keep
        }
        return (spans, cutter)
    }

    /// The whole-document parse, and the parse fed in parts (read whole again when the parts
    /// are refused, as `FileReader` does).
    /// `sniffed`: the format the sniff names; otherwise plain `har` until the document says.
    static func parse(_ doc: [UInt8], parts size: Int?, path: String = "s.har", sniffed: Bool = true) -> (ParseOutput, inParts: Bool) {
        let text = String(decoding: doc.prefix(65536), as: UTF8.self)
        let found = sniffed ? HARParser.sniff(SniffInput(path: path, text: text, isWholeFile: true)) : nil
        var p = HARParser(path: path, sniff: found ?? Sniff(kind: .har, format: "har", score: 95))
        guard let size else {
            p.consume(document: doc)
            return (p.finish(), false)
        }
        var at = 0
        while at < doc.count {
            p.consume(documentPart: doc[at..<min(doc.count, at + size)])
            at += size
        }
        let done = p.finishDocumentParts()
        if !done { p.consume(document: doc) }
        return (p.finish(), done)
    }

    static func same(_ a: ParseOutput, _ b: ParseOutput) -> Bool {
        a.exchanges == b.exchanges && a.notes == b.notes && a.problems == b.problems && a.lines == b.lines && a.format == b.format
    }

    @Test func entriesAreCutWhereTheWholeScanFindsThemWhateverThePartSize() throws {
        for name in Self.fixtures {
            let doc = Array(try Repo.text(name).utf8)
            let whole = doc.withUnsafeBytes { HAR.scanEntries($0) }
            #expect(!whole.isEmpty, "\(name)")
            for size in [1, 2, 3, 7, 8, 9, 64, 1000, doc.count] {
                let (spans, cutter) = Self.cut(doc, size: size)
                #expect(spans == whole, "\(name) in parts of \(size)")
                #expect(cutter.atRest && cutter.placeholders.count == whole.count)
            }
        }
    }

    /// Quotes, backslashes, braces and brackets inside strings, in and between entries, and
    /// a raw newline inside an entry's string (counted, as the whole scan counts it).
    @Test func stringsWithEscapesAndBracketsDoNotMoveTheCuts() {
        let text = """
        {"log":{"creator":{"name":"a}]\\"{["},"pages":[{"t":"\\\\"}],"entries":[
        {"a":"}\\"]{[\\\\","b":{"c":["}"]}},
        {"x":"\\\\\\"}"},  {"y":"a\nb"},
        {}
        ],"z":"{"}}
        """
        // Outside the entries, byte for byte, each entry a `{}`.
        let expected = """
        {"log":{"creator":{"name":"a}]\\"{["},"pages":[{"t":"\\\\"}],"entries":[
        {},
        {},  {},
        {}
        ],"z":"{"}}
        """
        let doc = Array(text.utf8)
        let whole = doc.withUnsafeBytes { HAR.scanEntries($0) }
        let lines = whole.map(\.line)
        #expect(whole.count == 4)
        #expect(lines == [2, 3, 3, 5])
        for size in [doc.count] + Array(1...12) {
            let (spans, cutter) = Self.cut(doc, size: size)
            #expect(spans == whole, "parts of \(size)")
            let skeleton = String(decoding: cutter.skeleton, as: UTF8.self)
            #expect(skeleton == expected, "parts of \(size)")
            #expect(cutter.placeholders.count == 4 && cutter.atRest)
        }
    }

    @Test func partsGiveTheWholeDocumentsOutput() throws {
        var texts = try Self.fixtures.map { try Repo.text($0) }
        texts.append(HARBytesTests.mixed)
        for text in texts {
            let doc = Array(text.utf8)
            let (whole, _) = Self.parse(doc, parts: nil)
            for size in [1, 5, 4096] {
                let (parts, inParts) = Self.parse(doc, parts: size)
                #expect(Self.same(parts, whole))
                // `mixed` has elements that are not objects: read whole, by the layout walk.
                #expect(inParts == (text != HARBytesTests.mixed))
            }
        }
    }

    /// Documents the parts reader refuses (damaged, lenient-only, unusual shape): the output
    /// is the whole read's, problems and salvage included.
    @Test func refusedDocumentsAreReadWhole() throws {
        let text = try Repo.text("har/mitmproxy-newapi-quota.har")
        let doc = Array(text.utf8)
        let spans = doc.withUnsafeBytes { HAR.scanEntries($0) }
        let variants: [[UInt8]] = [
            Array(doc[..<(spans[spans.count - 1].start + 10)]),  // cut inside the last entry
            Array(doc[..<(spans[0].end! + 1)]),                    // cut between entries
            Array(text.replacingOccurrences(of: "\"entries\"", with: "\"\\u0065ntries\"").utf8),
            Array(("{\"x\":{\"entries\":[{\"a\":1}]}," + text.drop { $0 != "{" }.dropFirst()).utf8),
            Array(text.replacingOccurrences(of: "\"entries\"", with: "\"entries\":[],\"entries\"").utf8),
            Array((String(text.reversed().drop { $0 != "}" }.dropFirst().reversed()) + ",\"log\":{}}").utf8),
            Array(("\u{FEFF}" + text).utf8),
            Array((text + " x").utf8),
            Array("   ".utf8),
            [],
        ]
        for (k, v) in variants.enumerated() {
            let (whole, _) = Self.parse(v, parts: nil)
            let (parts, inParts) = Self.parse(v, parts: 7)
            #expect(Self.same(parts, whole), "variant \(k)")
            #expect(!inParts || whole.problems.isEmpty, "variant \(k)")
        }
        // The cut files report where they end and salvage their complete entries.
        let (cut, inParts) = Self.parse(variants[0], parts: 64)
        #expect(!inParts && cut.problems.count == 1 && cut.exchanges.count == spans.count - 1)
    }

    /// An entry is checked at its own depth: nesting that passes alone but not in the document
    /// (400 levels in all) sends the document to the whole read, as before.
    @Test func anEntryIsCheckedAtItsDepthInTheDocument() {
        func doc(_ levels: Int) -> [UInt8] {
            let deep = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
            return Array(#"{"log":{"entries":[{"request":{"method":"POST","url":"https://a/v1/chat/completions"},"response":{"status":401},"_d":\#(deep)}]}}"#.utf8)
        }
        for levels in [395, 396, 397, 398] {
            let d = doc(levels)
            let plain = d.withUnsafeBytes { HAR.isPlainJSON($0) }
            let (whole, _) = Self.parse(d, parts: nil)
            let (parts, inParts) = Self.parse(d, parts: 16)
            #expect(inParts == plain, "\(levels) levels")
            #expect(Self.same(parts, whole), "\(levels) levels")
        }
        #expect(doc(396).withUnsafeBytes { HAR.isPlainJSON($0) })
        #expect(!doc(397).withUnsafeBytes { HAR.isPlainJSON($0) })
    }

    /// A creator given after the entries still names the format, and a browser capture read
    /// as not one is read again whole (the missing-credential note depends on it).
    @Test func aCreatorAfterTheEntriesStillDecides() {
        let entry = #"{"request":{"method":"POST","url":"https://a/v1/chat/completions"},"response":{"status":401}}"#
        for creator in ["WebInspector", "mitmproxy", "Firefox"] {
            let d = Array(#"{"log":{"version":"1.2","entries":[\#(entry)],"creator":{"name":"\#(creator)"}}}"#.utf8)
            let (whole, _) = Self.parse(d, parts: nil, sniffed: false)
            let (parts, inParts) = Self.parse(d, parts: 10, sniffed: false)
            #expect(Self.same(parts, whole), "\(creator)")
            #expect(inParts == (creator == "mitmproxy"))
            #expect(whole.format == HARParser.format(creator: creator))
            #expect((whole.exchanges.first?.missing.contains(.noAuthorizationInHAR) ?? false) == (creator != "mitmproxy"))
        }
    }

    /// Through `FileReader`: a file read in parts (and read again when refused) and the same
    /// bytes from a stream that cannot be read twice (an archive member, held whole) give the
    /// same inventory entry and exchanges.
    @Test func fileReadInPartsMatchesTheWholeRead() throws {
        let text = try Repo.text("har/mitmproxy-newapi-quota.har")
        for body in [text, String(text.prefix(text.count * 2 / 3)), text + ","] {
            let bytes = Array(body.utf8)
            var again = IngestedFile(path: "q.har", compression: [], stream: MemoryStream(bytes, chunkSize: 5),
                                     reopen: { MemoryStream(bytes, chunkSize: 3) })
            var once = IngestedFile(path: "q.har", compression: [], stream: MemoryStream(bytes, chunkSize: 5))
            let reader = FileReader(limits: IngestLimits())
            let (parts, whole) = (reader.read(&again), reader.read(&once))
            #expect(parts.entry == whole.entry)
            #expect(parts.output.exchanges == whole.output.exchanges && !whole.output.exchanges.isEmpty)
        }
    }
}
