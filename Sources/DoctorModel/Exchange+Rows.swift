import Foundation

/// The own fields of a block of settled calls held as rows of one table instead of a box per
/// call. A dense log holds hundreds of thousands of calls of a few kinds; each kept a box of
/// its own (some 190 bytes with the allocator's share, scattered among the parse's short-lived
/// allocations) although what differs from call to call is a few numbers: its place, time and
/// the first line and logging heads of its packed evidence. Here a call is a row (below); its
/// file, line shapes and response-header lists are numbers into small tables of the block,
/// which hold each distinct one once (by identity), and its heads (the text before a line's
/// message, about one distinct a call when calls are seconds apart) are a `HeadTable`: a
/// pair's two templates and its digits (a string and a table entry each before; then their
/// bytes whole, about 15 bytes a call), so every field reads back exactly as it was set.
/// `Exchange` reads a row in place; its first write to one of its own fields gives it a box
/// again (`Exchange.unique`).
///
/// A row is 20 bytes (its duration in a column of the block, made only when some call has
/// one; its time milliseconds after the block's first, its evidence's first line after its
/// own, its heads' place 16 bits and their lengths in the `HeadTable`; 24 bytes before the
/// heads were templates): its last line, shape, header list and retries are held in the bits they
/// need in a block of 1,024 calls (a call that does not fit keeps its box), and its request
/// id is a number into the block's few distinct ids. The ids' column of `String?` (16 bytes a
/// call, most of them nil: a dense log's calls repeat a few ids) and 8 bytes of the row grew
/// with the calls.
@usableFromInline final class CallRows: @unchecked Sendable {
    // Never written after the block is built (`CallCompaction`).
    let file: String
    let rows: [Row]
    /// The distinct request ids of the block (`Row.id` - 1).
    let requestIDs: [String]
    let shapes: [LineShape]
    /// The heads, a pair at each `Row.headAt` (see `HeadTable`).
    let heads: HeadTable
    let headerLists: [[Header]]
    /// Each row's duration (`Row.flags` bit 1 says whether it is set), or empty when no row
    /// of the block has one: a python SDK log's calls never do, and the column cost them 8
    /// bytes a call in the row.
    let durations: [Double]
    /// The rows' times are `timeBase` plus `Row.time` milliseconds, read back as that sum;
    /// when that sum is not exactly some row's time, every row's time is here instead.
    let timeBase: Double
    let times: [Double]

    struct Row {
        var line: Int32 = 0
        /// Milliseconds after the block's `timeBase` (see `CallRows.time`).
        var time: Int32 = 0
        /// Where the packed evidence's heads are in `heads` (a block's pairs take some 20
        /// bytes each, so a block of 1,024 calls stays far below 64 KB).
        var headAt: UInt16 = 0
        /// The first line of the packed evidence, after `line`.
        var first: Int16 = 0
        /// `endLine - line`.
        var endLines: UInt16 = 0
        /// Which shape the packed evidence has (-1: no evidence lines).
        var shape: Int16 = -1
        var headers: UInt16 = 0
        /// 0: no request id; else `requestIDs[id - 1]`.
        var id: UInt8 = 0
        /// Bit 0: `time` is set; bit 1: `duration` is set; bits 2–7: the retries (at most 63).
        var flags: UInt8 = 0

        static let maxRetries = 63
    }

    init(file: String, rows: [Row], requestIDs: [String], shapes: [LineShape], heads: HeadTable, headerLists: [[Header]],
         durations: [Double] = [], timeBase: Double = 0, times: [Double] = []) {
        self.durations = durations
        self.timeBase = timeBase
        self.times = times
        self.file = file
        self.rows = rows
        self.requestIDs = requestIDs
        self.shapes = shapes
        self.heads = heads
        self.headerLists = headerLists
    }

    @usableFromInline func time(_ r: Int) -> Date? {
        let row = rows[r]
        guard row.flags & 1 != 0 else { return nil }
        return Date(timeIntervalSinceReferenceDate: times.isEmpty ? Self.time(timeBase, row.time) : times[r])
    }

    /// `base` plus `ms` milliseconds: the time a row reads back (`CallCompaction` keeps it
    /// only where this is exactly the call's own).
    static func time(_ base: Double, _ ms: Int32) -> Double { base + Double(ms) / 1000 }

    @usableFromInline func durationMs(_ r: Int) -> Double? {
        rows[r].flags & 2 != 0 ? durations[r] : nil
    }

    @usableFromInline func retries(_ r: Int) -> Int32 { Int32(rows[r].flags >> 2) }

    @usableFromInline func source(_ r: Int) -> SourceRef {
        let row = rows[r]
        return SourceRef(file: file, line: Int(row.line), endLine: Int(row.line) + Int(row.endLines))
    }

    @usableFromInline func requestID(_ r: Int) -> String? {
        let id = rows[r].id
        return id == 0 ? nil : requestIDs[Int(id) - 1]
    }

    @usableFromInline func responseHeaders(_ r: Int) -> [Header] { headerLists[Int(rows[r].headers)] }

    @usableFromInline func packed(_ r: Int) -> PackedLines? {
        let row = rows[r]
        guard row.shape >= 0 else { return nil }
        let (head0, head1) = heads.heads(at: Int(row.headAt))
        return PackedLines(shape: shapes[Int(row.shape)], first: Int(row.line) + Int(row.first), head0: head0, head1: head1)
    }

    @usableFromInline func lines(_ r: Int) -> [SourceLine] { packed(r)?.lines ?? [] }

    /// The row as the fields of a box of its own.
    @usableFromInline func fields(_ r: Int) -> Exchange.Fields {
        var f = Exchange.Fields()
        f.retries = retries(r)
        f.time = time(r)
        f.source = source(r)
        f.responseHeaders = responseHeaders(r)
        f.requestID = requestID(r)
        f.packed = packed(r)
        f.durationMs = durationMs(r)
        return f
    }
}

/// Turns settled calls into rows of blocks (`CallRows`). A parser calls `compact` on a run of
/// calls it will not write again; later stages read them in place, and any write still works
/// (the call gets a box of its own). Calls whose fields a row cannot hold exactly (several
/// sources, evidence lines not packed, another file, places beyond 32 bits) keep their box.
package struct CallCompaction {
    package init() {}

    /// Compacts the calls of `list` in `range` that are not rows already into one block.
    package func compact(_ list: inout [Exchange], _ range: Range<Int>) {
        var file: String? = nil
        var members: [Int] = []
        var rows: [CallRows.Row] = []
        var ids: [String] = []
        var shapes: [LineShape] = [], shapeOf: [ObjectIdentifier: Int16] = [:]
        var heads = HeadTable()
        var lastHeads: (at: UInt16, head0: String, head1: String)? = nil
        var headerLists: [[Header]] = [], headersAt: [UnsafeRawPointer?: UInt16] = [:]
        var durations: [Double] = []
        // Every row's time, kept as a column only when some row's is not `timeBase` plus
        // whole milliseconds (found as the rows are made).
        var times: [Double] = [], timeBase: Double? = nil, timesExact = true
        members.reserveCapacity(range.count)
        rows.reserveCapacity(range.count)
        for i in range where list[i].row < 0 {
            // Read through the box: a copy of its fields retained each of them.
            let box = list[i].box
            guard let src = box.v.source, box.v.moreSources.isEmpty, box.v.lines.isEmpty,
                  src.endLine >= src.line, let line = Int32(exactly: src.line), let end = Int32(exactly: src.endLine)
            else { continue }
            if let f = file {
                guard sameUTF8(f, src.file) else { continue }
            } else {
                file = src.file
            }
            var row = CallRows.Row()
            row.line = line
            guard let lines = UInt16(exactly: Int(end) - Int(line)), box.v.retries >= 0, box.v.retries <= CallRows.Row.maxRetries
            else { continue }
            row.endLines = lines
            row.flags = UInt8(box.v.retries) << 2
            // The block's ids, compared byte for byte (each reads back as the very string).
            if let id = box.v.requestID {
                if let k = ids.lastIndex(where: { sameUTF8($0, id) }) {
                    row.id = UInt8(k + 1)
                } else {
                    guard ids.count < Int(UInt8.max) else { continue }
                    ids.append(id)
                    row.id = UInt8(ids.count)
                }
            }
            let time = box.v.time?.timeIntervalSinceReferenceDate
            if time != nil { row.flags |= 1 }
            let duration = box.v.durationMs
            if duration != nil { row.flags |= 2 }
            if let p = box.v.packed {
                guard let first = Int16(exactly: p.first - src.line) else { continue }
                row.first = first
                let id = ObjectIdentifier(p.shape)
                if let s = shapeOf[id] {
                    row.shape = s
                } else {
                    guard shapes.count < Int(Int16.max) else { continue }
                    row.shape = Int16(shapes.count)
                    shapeOf[id] = row.shape
                    shapes.append(p.shape)
                }
                // The heads change once a second in a dense log: the last pair is the usual match.
                if let last = lastHeads, sameUTF8(last.head0, p.head0), sameUTF8(last.head1, p.head1) {
                    row.headAt = last.at
                } else {
                    guard heads.codes.count <= Int(UInt16.max), let at = heads.append(p.head0, p.head1) else { continue }
                    row.headAt = UInt16(at)
                    lastHeads = (row.headAt, p.head0, p.head1)
                }
            }
            // Lists that are one array (the parser shares equal lists) are held once.
            let h = box.v.responseHeaders
            let at = h.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            if let k = headersAt[at] {
                row.headers = k
            } else {
                guard headerLists.count < Int(UInt16.max) else { continue }
                row.headers = UInt16(headerLists.count)
                headersAt[at] = row.headers
                headerLists.append(h)
            }
            if let time {
                let base = timeBase ?? time
                timeBase = base
                let ms = ((time - base) * 1000).rounded()
                if timesExact, ms.magnitude < 2_000_000_000, CallRows.time(base, Int32(ms)).bitPattern == time.bitPattern {
                    row.time = Int32(ms)
                } else {
                    timesExact = false
                }
            }
            times.append(time ?? 0)
            // The column is made at the block's first duration, the rows before it given none.
            if let duration {
                if durations.isEmpty { durations = [Double](repeating: 0, count: rows.count) }
                durations.append(duration)
            } else if !durations.isEmpty {
                durations.append(0)
            }
            members.append(i)
            rows.append(row)
        }
        guard let file, !members.isEmpty else { return }
        // Held to the end of the run: each table at its size (they grew by doubling; the head
        // bytes by about one head a call when calls are seconds apart).
        let block = CallRows(file: file, rows: exact(rows), requestIDs: exact(ids), shapes: exact(shapes),
                             heads: heads.exact(), headerLists: exact(headerLists), durations: exact(durations),
                             timeBase: timeBase ?? 0, times: timesExact ? [] : exact(times))
        let shared = Exchange.Box(rows: block)
        for (r, i) in members.enumerated() {
            let ex = list[i]
            list[i] = Exchange(rowOf: shared, r, index: ex.index32, common: ex.common)
        }
    }

    private func exact<T>(_ a: [T]) -> [T] {
        guard a.capacity > a.count else { return a }
        return [T](unsafeUninitializedCapacity: a.count) { buf, n in
            _ = buf.initialize(fromContentsOf: a)
            n = a.count
        }
    }
}
