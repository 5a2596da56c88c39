import Foundation

/// The own fields of a block of settled calls held as rows of one table instead of a box per
/// call. A dense log holds hundreds of thousands of calls of a few kinds; each kept a box of
/// its own (some 190 bytes with the allocator's share, scattered among the parse's short-lived
/// allocations) although what differs from call to call is a few numbers: its place, time and
/// the first line and logging heads of its packed evidence. Here a call is a 48-byte row; its
/// file, line shapes, heads and response-header lists are numbers into small tables of the
/// block, which hold each distinct one once (by identity or byte for byte, so every field
/// reads back exactly as it was set). `Exchange` reads a row in place; its first write to one
/// of its own fields gives it a box again (`Exchange.unique`).
@usableFromInline final class CallRows: @unchecked Sendable {
    // Never written after the block is built (`CallCompaction`).
    let file: String
    let rows: [Row]
    let requestIDs: [String?]
    let shapes: [LineShape]
    let heads: [Heads]
    let headerLists: [[Header]]

    struct Row {
        var time: Double = 0
        var duration: Double = 0
        var line: Int32 = 0, endLine: Int32 = 0
        /// The first line of the packed evidence, and which shape (-1: no evidence lines).
        var first: Int32 = 0, shape: Int32 = -1
        var heads: Int32 = 0, headers: Int32 = 0
        var retries: Int32 = 0
        /// Bit 0: `time` is set; bit 1: `duration` is set.
        var flags: UInt8 = 0
    }

    struct Heads {
        let head0: String, head1: String
    }

    init(file: String, rows: [Row], requestIDs: [String?], shapes: [LineShape], heads: [Heads], headerLists: [[Header]]) {
        self.file = file
        self.rows = rows
        self.requestIDs = requestIDs
        self.shapes = shapes
        self.heads = heads
        self.headerLists = headerLists
    }

    @usableFromInline func time(_ r: Int) -> Date? {
        let row = rows[r]
        return row.flags & 1 != 0 ? Date(timeIntervalSinceReferenceDate: row.time) : nil
    }

    @usableFromInline func durationMs(_ r: Int) -> Double? {
        let row = rows[r]
        return row.flags & 2 != 0 ? row.duration : nil
    }

    @usableFromInline func retries(_ r: Int) -> Int32 { rows[r].retries }

    @usableFromInline func source(_ r: Int) -> SourceRef {
        let row = rows[r]
        return SourceRef(file: file, line: Int(row.line), endLine: Int(row.endLine))
    }

    @usableFromInline func requestID(_ r: Int) -> String? { requestIDs[r] }

    @usableFromInline func responseHeaders(_ r: Int) -> [Header] { headerLists[Int(rows[r].headers)] }

    @usableFromInline func packed(_ r: Int) -> PackedLines? {
        let row = rows[r]
        guard row.shape >= 0 else { return nil }
        let h = heads[Int(row.heads)]
        return PackedLines(shape: shapes[Int(row.shape)], first: Int(row.first), head0: h.head0, head1: h.head1)
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
        var ids: [String?] = []
        var shapes: [LineShape] = [], shapeOf: [ObjectIdentifier: Int32] = [:]
        var heads: [CallRows.Heads] = []
        var headerLists: [[Header]] = [], headersAt: [UnsafeRawPointer?: Int32] = [:]
        members.reserveCapacity(range.count)
        rows.reserveCapacity(range.count)
        ids.reserveCapacity(range.count)
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
            row.endLine = end
            row.retries = box.v.retries
            if let t = box.v.time { row.time = t.timeIntervalSinceReferenceDate; row.flags |= 1 }
            if let d = box.v.durationMs { row.duration = d; row.flags |= 2 }
            if let p = box.v.packed {
                guard let first = Int32(exactly: p.first) else { continue }
                row.first = first
                let id = ObjectIdentifier(p.shape)
                if let s = shapeOf[id] {
                    row.shape = s
                } else {
                    row.shape = Int32(shapes.count)
                    shapeOf[id] = row.shape
                    shapes.append(p.shape)
                }
                // The heads change once a second in a dense log: the last pair is the usual match.
                if let last = heads.last, sameUTF8(last.head0, p.head0), sameUTF8(last.head1, p.head1) {
                    row.heads = Int32(heads.count - 1)
                } else {
                    row.heads = Int32(heads.count)
                    heads.append(CallRows.Heads(head0: p.head0, head1: p.head1))
                }
            }
            // Lists that are one array (the parser shares equal lists) are held once.
            let h = box.v.responseHeaders
            let at = h.withUnsafeBufferPointer { UnsafeRawPointer($0.baseAddress) }
            if let k = headersAt[at] {
                row.headers = k
            } else {
                row.headers = Int32(headerLists.count)
                headersAt[at] = row.headers
                headerLists.append(h)
            }
            members.append(i)
            rows.append(row)
            ids.append(box.v.requestID)
        }
        guard let file, !members.isEmpty else { return }
        // Held to the end of the run: each table at its size (the heads are about one a call
        // when calls are seconds apart, and grew by doubling).
        let block = CallRows(file: file, rows: exact(rows), requestIDs: exact(ids), shapes: exact(shapes),
                             heads: exact(heads), headerLists: exact(headerLists))
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
