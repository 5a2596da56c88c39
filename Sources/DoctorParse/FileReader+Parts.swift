import DoctorIngest
import DoctorModel
import Foundation

/// What reading in parts gave besides the parser's state.
struct PartsOutcome {
    var bytes = 0
    /// Lines cut at the line-length limit in the parts parsed apart (the lines the file's own
    /// parser reads are told to `each`, which counts them).
    var cut = 0
    var error: (any Error)?
    /// Blocks parsed apart and taken in whole, and those read line by line after all.
    var absorbed = 0
    var declined = 0
}

/// A large log read on every core: its bytes are cut into blocks at lines where the parser's
/// state is known (`LogParser.startsPart`), each block is parsed by a fresh parser, a batch of
/// blocks at a time on every core (`ParallelMap`), and the parts are joined in file order
/// (`LogParser.absorb`). A part the parser declines, and a block that does not start at such
/// a line, is read line by line by the file's own parser instead, so the result is the one a
/// reading line by line gives.
struct PartsReader<P: LogParser> {
    let path: String
    let sniff: Sniff
    let maxLineBytes: Int

    /// Blocks are cut at the first part start after this many bytes. A batch's blocks and the
    /// input read ahead while it is parsed (as much again) are in memory together: a quarter
    /// megabyte cost the parse of a dense 1 GiB log some 2.5 MB less at its peak than half a
    /// megabyte (and that 6 MB less than a megabyte).
    var blockBytes = 1 << 18
    /// Without a part start in this many bytes a block is cut at a line start and read line
    /// by line; without a line end either, the rest of the file is read line by line.
    var maxBlockBytes = 32 << 20

    /// A run of whole lines.
    struct Block {
        var bytes: [UInt8]
        /// Number and offset of its first line.
        var firstLine: Int
        var offset: Int
        /// It starts at the file's start or at a part start, and may be parsed apart.
        var apart: Bool
    }

    /// A block as parsed apart.
    struct Part {
        var parser: P
        /// Its lines that were cut at the line-length limit.
        var cut: Int
    }

    /// Reads the whole input (chunks from `next`) into `parser`. `each` sees every line that
    /// `parser` reads itself as text, before it does (block 0 is always read so, so a small
    /// file is read as it would be line by line); `wantsEveryLine` true means a part must not
    /// be taken in whole but read line by line, each line as text (while it is false, a block
    /// read here offers its lines to `parser` as bytes first, and counts the cut ones of those
    /// it takes in `PartsOutcome.cut`).
    func read(into parser: inout P, next: () throws -> ArraySlice<UInt8>?,
              each: (Line) -> Void, wantsEveryLine: () -> Bool) -> PartsOutcome {
        var outcome = PartsOutcome()
        var pending: [UInt8] = []
        var pendingLine = 1, pendingOffset = 0
        /// Whether `pending` starts at a part start (block 0 is read by `parser` itself).
        var pendingApart = false
        /// Where the search for the next cut goes on in `pending` (a line start); nil before
        /// the first line start after `blockBytes` is known.
        var scan: Int?
        var batch: [Block] = []
        let batchSize = max(2, ParallelMap.workers * 2)
        var tail: LineSplitter?
        /// Per place in a batch: the parser of the part read there last, whose caches the next
        /// part read there takes over (each place is read by one thread at a time).
        let spare = (0..<batchSize).map { _ in Spare() }
        /// Input read while the last batch was parsed (`next` may wait on the thread that
        /// inflates a compressed file), taken before `next` is asked again.
        var ahead: [ArraySlice<UInt8>] = []
        var aheadTaken = 0
        var aheadDone = false
        var aheadError: (any Error)?
        /// The byte buffers of the last batch's blocks, emptied for the next blocks: a block's
        /// megabyte was a fresh mapping, page-faulted in and unmapped again, on the thread
        /// that cuts blocks while the other cores wait for the batch.
        var buffers: [[UInt8]] = []

        func pull() throws -> ArraySlice<UInt8>? {
            if aheadTaken < ahead.count {
                aheadTaken += 1
                return ahead[aheadTaken - 1]
            }
            ahead.removeAll(keepingCapacity: true)
            aheadTaken = 0
            if let e = aheadError {
                aheadError = nil
                aheadDone = true
                throw e
            }
            return aheadDone ? nil : try next()
        }

        func sequential(_ b: Block, _ parser: inout P) {
            var s = LineSplitter(maxLineBytes: maxLineBytes, firstLine: b.firstLine, offset: b.offset)
            guard !wantsEveryLine() else {
                s.feed(b.bytes[...]) { l in each(l); parser.consume(l) }
                s.finish { l in each(l); parser.consume(l) }
                return
            }
            // A block read here after all (its part declined: a retry or state carried across
            // the cut) is offered to the parser as bytes too, as a part's lines are: it was
            // read a line `String` at a time on one core while the other waited. `each` sees
            // the lines read as text; those read from bytes that were cut are counted here.
            var cut = 0
            func bytes(_ l: LineBytes) -> Bool {
                guard parser.consume(bytes: l) else { return false }
                if l.truncated { cut += 1 }
                return true
            }
            s.feed(b.bytes[...], bytes: bytes) { l in each(l); parser.consume(l) }
            s.finish(bytes: bytes) { l in each(l); parser.consume(l) }
            outcome.cut += cut
        }
        func flush(_ parser: inout P) {
            guard !batch.isEmpty else { return }
            let blocks = batch
            batch.removeAll()
            var seed = P(path: path, sniff: sniff)
            parser.seed(&seed)
            // One more task reads the next batch's input meanwhile.
            let reads = !aheadDone && aheadError == nil ? 1 : 0
            var read: [ArraySlice<UInt8>] = []
            var readDone = false
            var readError: (any Error)?
            var parts = ParallelMap.map(count: blocks.count + reads, minimum: 2) { j -> Part? in
                if j < reads {
                    var n = 0
                    do {
                        while n < batchSize * blockBytes {
                            guard let c = try next() else { readDone = true; break }
                            read.append(c)
                            n += c.count
                        }
                    } catch {
                        readError = error
                    }
                    return nil
                }
                let i = j - reads
                return blocks[i].apart ? parse(blocks[i], seed, spare[i].parser.take()) : nil
            }
            parts.removeFirst(reads)
            // What was taken already is let go of before more is queued.
            ahead.removeFirst(aheadTaken)
            aheadTaken = 0
            ahead += read
            if readDone { aheadDone = true }
            if let e = readError { aheadError = e }
            for i in blocks.indices {
                if parts[i] != nil, !wantsEveryLine(), parser.absorb(&parts[i]!.parser) {
                    outcome.cut += parts[i]!.cut
                    outcome.absorbed += 1
                } else {
                    if parts[i] != nil { outcome.declined += 1 }
                    sequential(blocks[i], &parser)
                }
                if let p = parts[i]?.parser { spare[i].parser = p }
                parts[i] = nil
            }
            for b in blocks where buffers.count < batchSize { buffers.append(b.bytes) }
        }
        func emit(_ end: Int, nextApart: Bool, _ parser: inout P) {
            var bytes = buffers.popLast() ?? []
            bytes.removeAll(keepingCapacity: true)
            bytes.append(contentsOf: pending[..<end])
            batch.append(Block(bytes: bytes, firstLine: pendingLine, offset: pendingOffset, apart: pendingApart))
            pending.removeFirst(end)
            pendingLine += Self.newlines(bytes)
            pendingOffset += end
            pendingApart = nextApart
            scan = nil
            if batch.count >= batchSize { flush(&parser) }
        }
        /// Cuts as many blocks from `pending` as it holds; at the end of input the rest too.
        func cut(atEnd: Bool, _ parser: inout P) {
            while tail == nil && (pending.count > blockBytes || (atEnd && !pending.isEmpty)) {
                if scan == nil { scan = Self.lineStart(pending, from: blockBytes) }
                var found: Int?
                while let at = scan, at < pending.count {
                    guard let end = Self.lineEnd(pending, from: at) else { break }
                    if at > 0, P.startsPart(Self.text(pending, at, end, maxLineBytes), previous: Self.text(pending, Self.previousLineStart(pending, at), at - 1, maxLineBytes)) {
                        found = at
                        break
                    }
                    scan = end + 1
                }
                if let c = found {
                    emit(c, nextApart: true, &parser)
                    continue
                }
                if atEnd {
                    emit(pending.count, nextApart: false, &parser)
                    return
                }
                guard pending.count > maxBlockBytes else { return }
                // No part start for long: a block cut at a line start, or no line start at all.
                if let last = pending.lastIndex(of: 0x0A), last + 1 > blockBytes {
                    emit(last + 1, nextApart: false, &parser)
                } else {
                    flush(&parser)
                    var s = LineSplitter(maxLineBytes: maxLineBytes, firstLine: pendingLine, offset: pendingOffset)
                    s.feed(pending[...]) { l in each(l); parser.consume(l) }
                    pending = []
                    tail = s
                }
            }
        }
        do {
            while let chunk = try pull() {
                outcome.bytes += chunk.count
                if tail != nil {
                    tail!.feed(chunk) { l in each(l); parser.consume(l) }
                    continue
                }
                pending.append(contentsOf: chunk)
                cut(atEnd: false, &parser)
            }
        } catch {
            outcome.error = error
        }
        if tail != nil {
            tail!.finish { l in each(l); parser.consume(l) }
        } else {
            cut(atEnd: true, &parser)
            flush(&parser)
        }
        return outcome
    }

    /// A part's parser kept for its caches; taken by one thread at a time.
    final class Spare: @unchecked Sendable {
        var parser: P?
    }

    /// A block parsed by a fresh parser.
    private func parse(_ b: Block, _ seed: P, _ caches: P?) -> Part {
        var p = seed
        if let caches { p.reuseCaches(of: caches) }
        var cut = 0
        var s = LineSplitter(maxLineBytes: maxLineBytes, firstLine: b.firstLine, offset: b.offset)
        // Most lines of a large log are read from their bytes (no `each` to see them here).
        func bytes(_ l: LineBytes) -> Bool {
            guard p.consume(bytes: l) else { return false }
            if l.truncated { cut += 1 }
            return true
        }
        s.feed(b.bytes[...], bytes: bytes) { l in
            if l.truncated { cut += 1 }
            p.consume(l)
        }
        s.finish(bytes: bytes) { l in
            if l.truncated { cut += 1 }
            p.consume(l)
        }
        return Part(parser: p, cut: cut)
    }

    /// The start of the first line that begins at or after `from` (after a newline).
    static func lineStart(_ b: [UInt8], from: Int) -> Int? {
        guard from > 0 else { return 0 }
        return b.withUnsafeBytes { raw -> Int? in
            guard from - 1 < raw.count, let p = memchr(raw.baseAddress! + (from - 1), 0x0A, raw.count - (from - 1)) else { return nil }
            return UnsafeRawPointer(p) - raw.baseAddress! + 1
        }
    }

    /// The start of the line before the one that starts at `at` (> 0).
    static func previousLineStart(_ b: [UInt8], _ at: Int) -> Int {
        var i = at - 1
        while i > 0 && b[i - 1] != 0x0A { i -= 1 }
        return i
    }

    /// The offset of the newline that ends the line starting at `from`.
    static func lineEnd(_ b: [UInt8], from: Int) -> Int? {
        b.withUnsafeBytes { raw -> Int? in
            guard from < raw.count, let p = memchr(raw.baseAddress! + from, 0x0A, raw.count - from) else { return nil }
            return UnsafeRawPointer(p) - raw.baseAddress!
        }
    }

    /// The line from `start` to the newline at `end` as `LineSplitter` gives it: cut at the
    /// line-length limit, then without a final carriage return.
    static func text(_ b: [UInt8], _ start: Int, _ end: Int, _ maxLineBytes: Int) -> String {
        var stop = min(end, start + max(16, maxLineBytes))
        if stop > start && b[stop - 1] == 0x0D { stop -= 1 }
        return b.withUnsafeBufferPointer { String(decoding: UnsafeBufferPointer(rebasing: $0[start..<stop]), as: UTF8.self) }
    }

    static func newlines(_ b: [UInt8]) -> Int {
        b.withUnsafeBytes { raw -> Int in
            guard let base = raw.baseAddress else { return 0 }
            var n = 0, pos = 0
            while pos < raw.count, let p = memchr(base + pos, 0x0A, raw.count - pos) {
                n += 1
                pos = UnsafeRawPointer(p) - base + 1
            }
            return n
        }
    }
}
