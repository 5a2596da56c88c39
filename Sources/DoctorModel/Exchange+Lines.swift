import Foundation

/// A call's evidence lines held as what they share with the lines of other calls plus what is
/// their own. A dense log repeats a few kinds of call, and the lines of one kind differ only by
/// their place in the file and their timestamps: each `SourceLine` kept per call (64 bytes,
/// in an array of its own) was most of what a call held. Here the file, the messages, each
/// line's place relative to the first and its span sit in a `LineShape` shared by the calls
/// whose lines have them; a call keeps its first line number and its (at most two) logging
/// heads. `lines` gives back the very `SourceLine`s that were packed, parts and all.
@usableFromInline struct PackedLines: Sendable {
    @usableFromInline let shape: LineShape
    @usableFromInline let first: Int
    @usableFromInline let head0: String
    @usableFromInline let head1: String

    @usableFromInline var lines: [SourceLine] {
        let entries = shape.entries
        let file = shape.file
        return [SourceLine](unsafeUninitializedCapacity: entries.count) { buf, n in
            for (i, e) in entries.enumerated() {
                let line = first + Int(e.offset)
                let ref = SourceRef(file: file, line: line, endLine: line + Int(e.span))
                (buf.baseAddress! + i).initialize(to: SourceLine(ref: ref, parts: e.slot == 0 ? head0 : head1, e.tail))
            }
            n = entries.count
        }
    }

    @usableFromInline var count: Int { shape.entries.count }
}

/// What the evidence lines of calls of one kind share (see `PackedLines`).
@usableFromInline final class LineShape: Sendable {
    let file: String
    let entries: [Entry]

    init(file: String, entries: [Entry]) {
        self.file = file
        self.entries = entries
    }

    /// One line: its message part, its place relative to the first line (`offset`), how many
    /// lines it spans after its own (`span`), and which of the call's heads opens it (`slot`).
    struct Entry: Sendable {
        let tail: String
        let offset: Int32, span: Int32
        let slot: UInt8
    }
}

extension Exchange.Fields {
    /// The evidence lines, packed or not.
    @usableFromInline var allLines: [SourceLine] { packed?.lines ?? lines }

    /// Turns packed lines back into an array (before the array is written in place).
    @usableFromInline mutating func unpack() {
        guard let p = packed else { return }
        lines = p.lines
        packed = nil
    }
}

/// Packs the evidence lines of a parse's calls (`PackedLines`): the calls whose lines have one
/// shape (file, messages, relative places and spans, which head each starts with) share it.
///
/// Messages and files are compared byte for byte, so every line reads back exactly as kept.
/// Bounded in shapes (emptied when full). Lines a call does not fit
/// (more than two heads, places far apart, more than one file) stay an array.
public struct LinePacking {
    private var table: Set<Key> = []
    public static let maxEntries = 4096

    public init() {}

    /// Packs `ex`'s lines when it has some in an array.
    public mutating func pack(_ ex: inout Exchange) {
        // Read through the box: a copy of its fields retained each of them.
        guard ex.row < 0, ex.box.v.packed == nil, !ex.box.v.lines.isEmpty, let probe = Probe(ex.box.v.lines) else { return }
        let shape: LineShape
        if let i = table.firstIndex(of: .probe(probe)) {
            shape = table[i].shape!
        } else {
            // Emptied when full, as the other caches of a parse: calls whose lines are each
            // their own (a request id in a message) would otherwise end packing for the rest
            // of a parse whose tables are carried from part to part.
            if table.count >= Self.maxEntries { table.removeAll(keepingCapacity: true) }
            shape = probe.makeShape()
            table.insert(.shape(shape))
        }
        ex.unique()
        ex.box.v.packed = PackedLines(shape: shape, first: probe.first, head0: probe.head0, head1: probe.head1)
        ex.box.v.lines = []
    }

    /// A call's lines seen as a shape, before one is made of them.
    struct Probe {
        let lines: [SourceLine]
        let first: Int
        let head0: String
        let head1: String
        /// Which head each line starts with: bit i set for `head1` (at most 64 lines).
        let slots: UInt64

        init?(_ lines: [SourceLine]) {
            guard lines.count <= 64 else { return nil }
            let first = lines[0].ref.line
            let file = lines[0].ref.file
            var h0: String? = nil, h1: String? = nil
            var slots: UInt64 = 0
            for (i, l) in lines.enumerated() {
                let r = l.ref
                guard r.endLine >= r.line, Int32(exactly: r.line - first) != nil, Int32(exactly: r.endLine - r.line) != nil,
                      sameUTF8(r.file, file) else { return nil }
                let head = l.parts.head
                if let a = h0, sameUTF8(a, head) {
                    continue
                } else if h0 == nil {
                    h0 = head
                } else if let b = h1, sameUTF8(b, head) {
                    slots |= 1 << UInt64(i)
                } else if h1 == nil {
                    h1 = head
                    slots |= 1 << UInt64(i)
                } else {
                    return nil
                }
            }
            self.lines = lines
            self.first = first
            self.head0 = h0 ?? ""
            self.head1 = h1 ?? ""
            self.slots = slots
        }

        func slot(_ i: Int) -> UInt8 { UInt8(truncatingIfNeeded: slots >> UInt64(i) & 1) }

        func makeShape() -> LineShape {
            LineShape(file: lines[0].ref.file, entries: lines.enumerated().map { i, l in
                LineShape.Entry(tail: l.parts.tail, offset: Int32(l.ref.line - first), span: Int32(l.ref.endLine - l.ref.line), slot: slot(i))
            })
        }
    }

    /// A shape in the table, or a call's lines looked up in it; hashed on counts and places,
    /// compared byte for byte.
    enum Key: Hashable {
        case shape(LineShape)
        case probe(Probe)

        var shape: LineShape? {
            if case .shape(let s) = self { return s }
            return nil
        }

        func hash(into h: inout Hasher) {
            switch self {
            case .shape(let s):
                h.combine(s.file.utf8.count)
                h.combine(s.entries.count)
                for e in s.entries { Self.entry(e.tail, e.offset, e.span, e.slot, &h) }
            case .probe(let p):
                h.combine(p.lines[0].ref.file.utf8.count)
                h.combine(p.lines.count)
                for (i, l) in p.lines.enumerated() {
                    Self.entry(l.parts.tail, Int32(l.ref.line - p.first), Int32(l.ref.endLine - l.ref.line), p.slot(i), &h)
                }
            }
        }

        private static func entry(_ tail: String, _ offset: Int32, _ span: Int32, _ slot: UInt8, _ h: inout Hasher) {
            h.combine(tail.utf8.count)
            h.combine(offset)
            h.combine(span)
            h.combine(slot)
        }

        static func == (a: Key, b: Key) -> Bool {
            switch (a, b) {
            case (.shape(let x), .shape(let y)):
                return x === y || (sameUTF8(x.file, y.file) && x.entries.count == y.entries.count
                    && zip(x.entries, y.entries).allSatisfy { p, q in
                        p.offset == q.offset && p.span == q.span && p.slot == q.slot && sameUTF8(p.tail, q.tail)
                    })
            case (.shape(let s), .probe(let p)), (.probe(let p), .shape(let s)):
                return matches(s, p)
            case (.probe, .probe):
                return false
            }
        }

        private static func matches(_ s: LineShape, _ p: Probe) -> Bool {
            guard s.entries.count == p.lines.count, sameUTF8(s.file, p.lines[0].ref.file) else { return false }
            for (i, l) in p.lines.enumerated() {
                let e = s.entries[i]
                guard e.offset == Int32(l.ref.line - p.first), e.span == Int32(l.ref.endLine - l.ref.line),
                      e.slot == p.slot(i), sameUTF8(e.tail, l.parts.tail) else { return false }
            }
            return true
        }
    }
}
