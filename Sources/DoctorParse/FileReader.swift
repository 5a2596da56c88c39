import DoctorIngest
import DoctorModel
import Foundation

/// Reads one ingested file: sniffs its kind from the first 64 KiB, streams it through the
/// chosen parser, and fills its inventory entry. A read error (truncated gzip, corrupt tar)
/// becomes a problem naming the byte offset; whatever was read before it is still parsed.
struct FileReader {
    let limits: IngestLimits
    /// Told the time spent reading (`read`) and parsing (`parse <kind>`); nil for none.
    var stats: RunStats? = nil

    struct Result {
        var entry: InventoryEntry
        var output: ParseOutput
        /// Non-empty lines of a pasted-text input (see `TicketBundle.pastedLines`).
        var pastedLines: [SourceLine] = []
    }

    /// At most this many pasted lines are kept per file: pastes are small, and a log that
    /// was sniffed as pasted text must not be held whole.
    static let maxPastedLines = 2000

    func read(_ file: inout IngestedFile) -> Result {
        guard let stats else {
            var ignored: UInt64 = 0
            return read(&file, timing: false, readTime: &ignored)
        }
        let t0 = RunStats.now()
        var readTime: UInt64 = 0
        let result = read(&file, timing: true, readTime: &readTime)
        let total = RunStats.now() &- t0
        stats.add(stage: RunStats.StageName.read, nanoseconds: min(readTime, total))
        stats.add(stage: RunStats.StageName.parsePrefix + result.entry.kind.rawValue, nanoseconds: total &- min(readTime, total))
        return result
    }

    /// - Parameter readTime: with `timing`, the time spent waiting for input bytes (reading,
    ///   inflating) is added here; the rest of the call is sniffing and parsing.
    private func read(_ file: inout IngestedFile, timing: Bool, readTime: inout UInt64) -> Result {
        var entry = InventoryEntry(path: file.path, compression: file.compression)
        let p0 = timing ? RunStats.now() : 0
        var peeked = PeekedStream(file.stream)
        // UTF-16 text (a Windows PowerShell redirect) is read as UTF-8 from here on.
        var encodingNote: String?
        if let order = UTF16Stream.byteOrder(ofPrefix: peeked.prefix) {
            peeked = PeekedStream(UTF16Stream(peeked, bigEndian: order.bigEndian))
            let reopen = file.reopen
            file.reopen = reopen.map { r in { UTF16Stream(try r(), bigEndian: order.bigEndian) } }
            let kind = (order.bigEndian ? "big-endian" : "little-endian") + (order.bom ? ", with a byte-order mark" : "")
            encodingNote = "UTF-16 text (\(kind); a Windows PowerShell redirect saves so): read as UTF-8, byte counts are of the UTF-8 text"
        }
        if timing { readTime &+= RunStats.now() &- p0 }
        /// The next chunk of input, its wait counted as reading when timed.
        func next() throws -> ArraySlice<UInt8>? {
            guard timing else { return try peeked.read() }
            let t = RunStats.now()
            defer { readTime &+= RunStats.now() &- t }
            return try peeked.read()
        }
        let prefix = peeked.prefix
        let text = String(decoding: prefix, as: UTF8.self)

        if looksBinary(prefix) {
            entry.kind = .unknown
            entry.format = "binary"
            entry.bytes = drain(&peeked, into: &entry)
            entry.skipped.append("binary content (NUL or control bytes): not a text log, HAR or error paste")
            return Result(entry: entry, output: ParseOutput())
        }
        // A labelled corpus's answer file beside a case's captures (`label.yaml` with a `cause:`
        // line and notes naming the fix) is the grader's, not the customer's evidence.
        if Self.isCorpusLabel(path: file.path, text: text) {
            entry.kind = .unknown
            entry.format = "corpus-label"
            let (bytes, lines) = drainCountingLines(&peeked, into: &entry)
            entry.bytes = bytes
            entry.lines = lines
            entry.skippedLines = lines
            entry.skipped.append("a labelled corpus's answer file (label.yaml: cause and notes), not evidence from the customer: not read")
            return Result(entry: entry, output: ParseOutput())
        }
        let sniffInput = SniffInput(path: file.path, text: text, isWholeFile: prefix.count < 64 * 1024)
        guard let (parserType, sniff) = ParserRegistry.detect(sniffInput) else {
            entry.kind = .unknown
            let (bytes, lines) = drainCountingLines(&peeked, into: &entry)
            entry.bytes = bytes
            entry.lines = lines
            entry.skippedLines = lines
            entry.skipped.append(bytes == 0 ? "empty file" : "no parser recognised this content (\(lines) lines not read)")
            entry.notes += [encodingNote].compactMap { $0 }
            return Result(entry: entry, output: ParseOutput())
        }
        entry.kind = sniff.kind
        entry.format = sniff.format
        var parser = parserType.init(path: file.path, sniff: sniff)
        var bytes = 0
        var pasted: [SourceLine] = []
        var smallFile: [Line]?
        if parserType.readsWholeDocument, parserType.readsDocumentInParts, let reopen = file.reopen {
            // Read as it arrives, nothing held whole; the file is read again only for a
            // document the parser cannot read in parts.
            var fed = 0
            do {
                while let chunk = try next() {
                    bytes += chunk.count
                    if fed + chunk.count > limits.maxDocumentBytes {
                        entry.problems.append(IngestError.limitExceeded(path: file.path, limit: "document size", value: limits.maxDocumentBytes, flag: "--max-document").problem)
                        break
                    }
                    fed += chunk.count
                    parser.consume(documentPart: chunk)
                }
            } catch {
                entry.problems.append(problem(for: error, path: file.path))
            }
            if !parser.finishDocumentParts() {
                parser.consume(document: Self.readAgain(reopen, count: fed))
            }
        } else if parserType.readsWholeDocument {
            var doc: [UInt8] = []
            do {
                while let chunk = try next() {
                    bytes += chunk.count
                    if doc.count + chunk.count > limits.maxDocumentBytes {
                        entry.problems.append(IngestError.limitExceeded(path: file.path, limit: "document size", value: limits.maxDocumentBytes, flag: "--max-document").problem)
                        break
                    }
                    doc.append(contentsOf: chunk)
                }
            } catch {
                entry.problems.append(problem(for: error, path: file.path))
            }
            parser.consume(document: doc)
        } else {
            var splitter = LineSplitter(maxLineBytes: limits.maxLineBytes)
            var cut = 0
            // A settings file's lines are not the customer's words, nor a paste to fall back
            // on (see `ErrorTextParser`).
            let settings = sniff.kind == .errorText && sniff.format == "config"
            let keepLines = sniff.kind == .errorText && !settings
            var kept: [SourceLine] = []
            // A small file another parser claimed is kept too, in case that parser finds no
            // call in it (see `pasteFallback`); a large one stops being kept at the bound.
            var small: [Line]? = keepLines || settings ? nil : []
            var smallBytes = 0
            func take(_ line: Line) {
                if line.truncated { cut += 1 }
                if keepLines, kept.count < Self.maxPastedLines, !line.text.allSatisfy(\.isWhitespace) {
                    kept.append(SourceLine(ref: SourceRef(file: file.path, line: line.number), text: line.text))
                }
                if small != nil {
                    smallBytes += line.text.utf8.count
                    if smallBytes > Self.fallbackBytes || small!.count >= Self.maxPastedLines { small = nil } else { small!.append(line) }
                }
                parser.consume(line)
            }
            // A large plain input gets a thread that cuts its lines; a compressed one already
            // has one inflating it, and a third thread only competes for the two cores here.
            // A parser that reads in parts has its blocks parsed on every core instead.
            if parserType.readsLinesInParts && !sniffInput.isWholeFile && !keepLines && ParallelMap.workers > 1 {
                func note(_ line: Line) {
                    if line.truncated { cut += 1 }
                    if small != nil {
                        smallBytes += line.text.utf8.count
                        if smallBytes > Self.fallbackBytes || small!.count >= Self.maxPastedLines { small = nil } else { small!.append(line) }
                    }
                }
                let outcome = Self.readInParts(&parser, path: file.path, sniff: sniff, maxLineBytes: limits.maxLineBytes,
                                               next: next, each: note, wantsEveryLine: { small != nil })
                bytes += outcome.bytes
                cut += outcome.cut
                if let error = outcome.error { entry.problems.append(problem(for: error, path: file.path)) }
            } else if sniffInput.isWholeFile || !file.compression.isEmpty {
                do {
                    while let chunk = try next() {
                        bytes += chunk.count
                        splitter.feed(chunk, take)
                    }
                } catch {
                    entry.problems.append(problem(for: error, path: file.path))
                }
                splitter.finish(take)
            } else {
                // More than the sniffed 64 KiB, not compressed: lines are cut on a thread of their own.
                let (n, error) = Self.cutLinesOnThread(peeked, splitter, timing: timing, readTime: &readTime, take)
                bytes += n
                if let error { entry.problems.append(problem(for: error, path: file.path)) }
            }
            pasted = kept
            smallFile = small
            if cut > 0 {
                entry.problems.append(Problem(.warning, location: file.path, message: "\(cut) line(s) longer than \(limits.maxLineBytes) bytes were cut (raise with --max-line)"))
            }
        }
        var output = parser.finish()
        var fallbackNote: String?
        // The small file read as a paste, once, by whichever step below needs it first.
        var pasteRead: ParseOutput?
        func readAsPaste(_ lines: [Line]) -> ParseOutput {
            if let r = pasteRead { return r }
            let r = Self.readAsPaste(lines, path: file.path)
            pasteRead = r
            return r
        }
        if output.exchanges.isEmpty, let lines = smallFile, let fallback = pasteFallback(lines, read: readAsPaste(lines), path: file.path) {
            fallbackNote = "the \(sniff.kind.rawValue) parser found no HTTP call here: read as pasted error text too (\(fallback.output.exchanges.count) exchange(s))"
            output.exchanges = fallback.output.exchanges
            output.signals += fallback.output.signals
            pasted = fallback.pasted
        }
        // A pasted SDK log carries the customer's settings around it (a client config, a
        // `baseURL` line, a proxy variable) that the log's parser has no place for: they are
        // read as a paste would be, for the settings only (its calls are the parser's).
        if !output.exchanges.isEmpty, fallbackNote == nil, sniff.kind == .nodeSDKLog || sniff.kind == .pythonSDKLog,
           let lines = smallFile {
            output.signals += pastedSettings(read: readAsPaste(lines), known: output.signals)
        }
        // A short paste a log parser claimed for a few of its lines (an SDK's `HTTP Request:`
        // line above a client's error box) still holds failures that parser has no place for:
        // when none of the parser's calls failed, the paste reader's failed calls on lines none
        // of them used are added. (When one failed, the paste's other lines mostly repeat that
        // failure, or state it in prose.) Those lines are pasted lines too, for the wordings
        // of the message families.
        var remainderNote: String?
        if !output.exchanges.isEmpty, fallbackNote == nil, output.skippedLines > 0, let lines = smallFile,
           lines.count <= ErrorTextReader.maxTicketLines {
            var (extra, rest) = remainder(lines, read: readAsPaste(lines), path: file.path, claimed: output.exchanges)
            pasted = rest
            if output.exchanges.contains(where: { ($0.status ?? 0) >= 400 || $0.error != nil || $0.failure != nil }) { extra = [] }
            if !extra.isEmpty {
                output.exchanges += extra
                remainderNote = "lines the \(sniff.kind.rawValue) parser did not use were read as pasted error text too (\(extra.count) failed call(s))"
                // The paste's settings too (a client's `base_url=` beside a server's access
                // lines), as for an SDK log above: that parser has no place for them.
                if sniff.kind != .nodeSDKLog && sniff.kind != .pythonSDKLog {
                    output.signals += pastedSettings(read: readAsPaste(lines), known: output.signals)
                }
            }
        }
        entry.bytes = bytes
        if let f = output.format { entry.format = f }
        entry.lines = output.lines
        entry.exchanges = output.exchanges.count
        entry.skippedLines = output.skippedLines
        if output.skippedLines > 0 {
            let sample = output.skippedSamples.map(String.init).joined(separator: ", ")
            entry.skipped.append("\(output.skippedLines) line(s) not understood (e.g. line \(sample))")
        }
        entry.problems += output.problems
        entry.notes = [encodingNote].compactMap { $0 } + output.notes + [fallbackNote, remainderNote].compactMap { $0 }
        // One set shared by every exchange that had none (most): no set allocated per call.
        let kinds: Set<InputKind> = [sniff.kind]
        // Once per distinct set of common fields where a parser shared them among its calls.
        var edits = ExchangeCommonEdits()
        for i in output.exchanges.indices {
            edits.edit(&output.exchanges[i]) { ex in
                if ex.sourceKinds.isEmpty {
                    ex.sourceKinds = kinds
                } else {
                    ex.sourceKinds.insert(sniff.kind)
                }
            }
        }
        return Result(entry: entry, output: output, pastedLines: pasted)
    }

    /// Reads a line-mode input in parts (`PartsReader`) with the parser's own type.
    private static func readInParts<Q: LogParser>(_ parser: inout Q, path: String, sniff: Sniff, maxLineBytes: Int,
                                                  next: () throws -> ArraySlice<UInt8>?, each: (Line) -> Void,
                                                  wantsEveryLine: () -> Bool) -> PartsOutcome {
        PartsReader<Q>(path: path, sniff: sniff, maxLineBytes: maxLineBytes)
            .read(into: &parser, next: next, each: each, wantsEveryLine: wantsEveryLine)
    }

    /// The first `count` bytes of a file read again from its start: the same bytes the first
    /// read gave (an error there was reported then, and ends this read at the same byte).
    private static func readAgain(_ reopen: () throws -> any ByteStream, count: Int) -> [UInt8] {
        var doc: [UInt8] = []
        doc.reserveCapacity(count)
        guard var stream = try? reopen() else { return doc }
        while doc.count < count, let chunk = try? stream.read() {
            doc.append(contentsOf: chunk.prefix(count - doc.count))
        }
        return doc
    }

    /// Lines per batch handed from the line cutter's thread to the parser.
    static let batchLines = 512

    /// Reads `stream` to its end on a thread of its own, cutting it into lines there and
    /// handing them over in batches (a bounded queue: memory stays flat). On a large log,
    /// cutting lines and making their strings is a good part of the work, and the parser no
    /// longer waits for it. `take` gets every line in order, on this thread; returns the bytes
    /// read and the error that ended the input (after every line read before it).
    private static func cutLinesOnThread(_ stream: PeekedStream, _ splitter: LineSplitter, timing: Bool,
                                         readTime: inout UInt64, _ take: (Line) -> Void) -> (Int, (any Error)?) {
        let channel = BoundedChannel<[Line]>(capacity: 4)
        let source = LineSource(stream, splitter)
        let thread = Thread {
            // The stream is released before the channel closes: once the reader has its last
            // batch, nothing of the source is still in use on this thread.
            let failure = source.run { channel.send($0) }
            channel.close(error: failure)
        }
        thread.name = "modeldoctor.lines"
        thread.start()
        while true {
            let t = timing ? RunStats.now() : 0
            let item = channel.receive()
            if timing { readTime &+= RunStats.now() &- t }
            switch item {
            case .element(let lines): for l in lines { take(l) }
            case .end: return (source.bytes, nil)
            case .failure(let e): return (source.bytes, e)
            }
        }
    }

    /// A small file a log parser claimed but found no call in (a pasted log excerpt whose
    /// error line is in another format, an SDK log holding only a traceback): its lines are
    /// read as pasted error text as well, so an error it holds is not dropped. Nil when that
    /// finds no call either.
    private func pasteFallback(_ lines: [Line], read: ParseOutput, path: String) -> (output: ParseOutput, pasted: [SourceLine])? {
        var out = read
        guard !out.exchanges.isEmpty else { return nil }
        for i in out.exchanges.indices { out.exchanges[i].sourceKinds = [.errorText] }
        let pasted = lines.filter { !$0.text.allSatisfy(\.isWhitespace) }
            .map { SourceLine(ref: SourceRef(file: path, line: $0.number), text: $0.text) }
        return (out, pasted)
    }

    /// The failed calls a paste reader finds in a small log's lines on lines no call of the
    /// log's own parser covers, and those lines (non-blank).
    private func remainder(_ lines: [Line], read: ParseOutput, path: String, claimed: [Exchange]) -> (calls: [Exchange], lines: [SourceLine]) {
        var used = IndexSet()
        for e in claimed {
            for r in e.sources where r.file == path { used.insert(integersIn: r.line...r.endLine) }
            for l in e.lines where l.ref.file == path { used.insert(integersIn: l.ref.line...l.ref.endLine) }
        }
        let calls = read.exchanges.filter { e in
            let failed = (e.status ?? 0) >= 400 || e.error != nil || e.failure != nil
            let own = e.sources.filter { $0.file == path }
            return failed && !own.isEmpty && !own.contains { used.intersects(integersIn: $0.line..<($0.endLine + 1)) }
        }.map { e in
            var e = e
            e.sourceKinds = [.errorText]
            return e
        }
        let rest = lines.filter { !used.contains($0.number) && !$0.text.allSatisfy(\.isWhitespace) }
            .map { SourceLine(ref: SourceRef(file: path, line: $0.number), text: $0.text) }
        return (calls, rest)
    }

    /// The settings a paste reader finds in a small log's lines, less those the log's own
    /// parser already reported.
    private func pastedSettings(read: ParseOutput, known: [Signal]) -> [Signal] {
        let seen = Set(known.map { "\($0.name)\u{1}\($0.value ?? "")" })
        return read.signals.filter {
            ErrorTextParser.settingSignals.contains($0.name) && !seen.contains("\($0.name)\u{1}\($0.value ?? "")")
        }
    }

    /// A small file's lines read as pasted error text: what `pasteFallback`, `pastedSettings`
    /// and `remainder` take from it, read once.
    static func readAsPaste(_ lines: [Line], path: String) -> ParseOutput {
        var p = ErrorTextParser(path: path, sniff: Sniff(kind: .errorText, format: "text", score: 0))
        for l in lines { p.consume(l) }
        return p.finish()
    }

    /// Files up to this size keep their lines for `pasteFallback`.
    static let fallbackBytes = 256 * 1024

    private func problem(for error: any Error, path: String) -> Problem {
        if let e = error as? IngestError { return e.problem }
        return Problem(.error, location: path, message: "read error: \(error)")
    }

    /// `label.yaml` (or `<case>.label.yaml`) whose lines include `cause:` at the top level.
    static func isCorpusLabel(path: String, text: String) -> Bool {
        let name = path.split(separator: "/").last.map { $0.lowercased() } ?? ""
        guard name == "label.yaml" || name.hasSuffix(".label.yaml") else { return false }
        return text.split(separator: "\n").contains { $0.hasPrefix("cause:") }
    }

    /// NUL bytes in the first KiB, or mostly control bytes: not text.
    private func looksBinary(_ prefix: [UInt8]) -> Bool {
        let head = prefix.prefix(4096)
        if head.isEmpty { return false }
        if head.contains(0) { return true }
        let control = head.filter { $0 < 0x09 || ($0 > 0x0D && $0 < 0x20 && $0 != 0x1B) }.count
        return control * 10 > head.count
    }

    private func drain(_ s: inout PeekedStream, into entry: inout InventoryEntry) -> Int {
        var n = 0
        do { while let c = try s.read() { n += c.count } } catch { entry.problems.append(problem(for: error, path: entry.path)) }
        return n
    }

    private func drainCountingLines(_ s: inout PeekedStream, into entry: inout InventoryEntry) -> (Int, Int) {
        var n = 0, lines = 0, last: UInt8 = 0x0A
        do {
            while let c = try s.read() {
                n += c.count
                for b in c where b == 0x0A { lines += 1 }
                if let l = c.last { last = l }
            }
        } catch { entry.problems.append(problem(for: error, path: entry.path)) }
        if n > 0 && last != 0x0A { lines += 1 }
        return (n, lines)
    }
}

/// The input of the line cutter's thread, handed to it once.
private final class LineSource: @unchecked Sendable {
    private var stream: PeekedStream?
    private var splitter: LineSplitter
    /// Bytes read; set before the channel closes, read by the consumer after it.
    private(set) var bytes = 0

    init(_ stream: PeekedStream, _ splitter: LineSplitter) {
        self.stream = stream
        self.splitter = splitter
    }

    /// Reads the stream to its end, sending batches of lines; the error that ended it. The
    /// stream is released on return. Stops early when `send` returns false.
    func run(_ send: ([Line]) -> Bool) -> (any Error)? {
        guard var stream = stream.take() else { return nil }
        var batch: [Line] = []
        batch.reserveCapacity(FileReader.batchLines)
        var open = true
        func emit(_ line: Line) {
            batch.append(line)
            if batch.count >= FileReader.batchLines {
                if open { open = send(batch) }
                batch.removeAll(keepingCapacity: true)
            }
        }
        var failure: (any Error)?
        do {
            while open, let chunk = try stream.read() {
                bytes += chunk.count
                splitter.feed(chunk, emit)
            }
        } catch {
            failure = error
        }
        if open {
            splitter.finish(emit)
            if !batch.isEmpty { _ = send(batch) }
        }
        return failure
    }
}
