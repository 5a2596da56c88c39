import CByteSearch
import DoctorIngest
import DoctorModel
import Foundation

/// One line of a text input, without its line terminator (`\n` or `\r\n`).
public struct Line: Sendable {
    /// 1-based line number in the (decompressed) file.
    public let number: Int
    /// Byte offset of the line's first byte in the decompressed file.
    public let offset: Int
    public let text: String
    /// True when the line was longer than the line-length limit and was cut.
    public let truncated: Bool

    public init(number: Int, offset: Int = 0, text: String, truncated: Bool = false) {
        self.number = number; self.offset = offset; self.text = text; self.truncated = truncated
    }

    /// Byte-level substring test; much faster than `String.contains` on long lines.
    /// - Complexity: O(n) in the line's UTF-8 length.
    @inline(__always)
    public func contains(_ needle: StaticString) -> Bool { ByteSearch.contains(text, needle) }

    /// Byte-level prefix test.
    @inline(__always)
    public func hasPrefix(_ needle: StaticString) -> Bool { ByteSearch.hasPrefix(text, needle) }
}

/// One line's bytes as `LineSplitter` cut them (no terminator, a final carriage return
/// dropped, cut at the line-length limit), before any `String` is made of them: a parser that
/// reads most lines of a large log by a prefix test alone (`LogParser.consume(bytes:)`) takes
/// them so. The bytes are valid only during the call they are passed to, and may hold
/// invalid UTF-8 that the line's `text` would hold repaired.
public struct LineBytes {
    /// As `Line.number`, `Line.offset` and `Line.truncated`.
    public let number: Int
    public let offset: Int
    public let bytes: UnsafeBufferPointer<UInt8>
    public let truncated: Bool

    public init(number: Int, offset: Int, bytes: UnsafeBufferPointer<UInt8>, truncated: Bool) {
        self.number = number; self.offset = offset; self.bytes = bytes; self.truncated = truncated
    }

    /// The `Line` a splitter would have emitted for these bytes.
    public var line: Line {
        Line(number: number, offset: offset, text: String(decoding: bytes, as: UTF8.self), truncated: truncated)
    }
}

/// Substring search on UTF-8 bytes (the C library's `memmem`).
///
/// `String.contains` and `range(of:)` run at a few MB/s on long log lines (see the perf
/// baselines), so the per-line checks of the parsers go through these instead.
public enum ByteSearch {
    public static func contains(_ haystack: String, _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { n in
            var h = haystack
            return h.withUTF8 { find(UnsafeRawBufferPointer($0), UnsafeRawBufferPointer(n)) != nil }
        }
    }

    public static func contains(_ haystack: String, _ needle: String) -> Bool {
        var h = haystack, n = needle
        return h.withUTF8 { hb in n.withUTF8 { nb in find(UnsafeRawBufferPointer(hb), UnsafeRawBufferPointer(nb)) != nil } }
    }

    public static func hasPrefix(_ haystack: String, _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { n in
            var h = haystack
            return h.withUTF8 { hb in
                hb.count >= n.count && (n.count == 0 || memcmp(hb.baseAddress!, n.baseAddress!, n.count) == 0)
            }
        }
    }

    /// Byte-level prefix test on a slice (`Substring.hasPrefix` compares Characters: it
    /// normalises and walks grapheme boundaries, costly on every line of a long log).
    public static func hasPrefix(_ haystack: Substring, _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { n in
            withBytes(haystack) { hb in
                hb.count >= n.count && (n.count == 0 || memcmp(hb.baseAddress!, n.baseAddress!, n.count) == 0)
            }
        }
    }

    /// The UTF-8 bytes of a slice of a string. `Substring.utf8.withContiguousStorageIfAvailable`
    /// runs `Slice`'s generic code, unspecialised: on the python log's record tests it showed
    /// in the profile (some 5% of all CPU in `handle` and the status-line reader).
    @inline(__always)
    public static func withBytes<R>(_ s: Substring, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
        var s = s
        return try s.withUTF8(body)
    }

    /// The first occurrence of `needle` in `s`, found on bytes (Foundation's `range(of:)`
    /// bridges to UTF-16 and searches locale-aware: two orders of magnitude slower on long lines).
    public static func range<S: StringProtocol>(of needle: String, in s: S) -> Range<String.Index>? {
        var n = needle
        let offset: Int?? = s.utf8.withContiguousStorageIfAvailable { hb in
            n.withUTF8 { nb in find(UnsafeRawBufferPointer(hb), UnsafeRawBufferPointer(nb)) }
        }
        guard let found = offset else { return s.range(of: needle) }  // a bridged, non-contiguous string
        guard let o = found else { return nil }
        let lo = s.utf8.index(s.startIndex, offsetBy: o)
        return lo..<s.utf8.index(lo, offsetBy: needle.utf8.count)
    }

    /// A 64-bit digest of `u`, eight bytes per step (multiply and fold), for the tables that
    /// key log texts by their bytes: `Hasher.combine(bytes:)` over every repeated line and
    /// repr of a dense log showed in its profile. Tables hash this digest with their own
    /// seed; equal digests of different texts only cost a comparison.
    /// - Complexity: O(n).
    public static func digest(_ u: UnsafeRawBufferPointer) -> UInt64 {
        let n = u.count
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(truncatingIfNeeded: n)
        var i = 0
        while i + 8 <= n {
            h = (h ^ u.loadUnaligned(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            h ^= h >> 32
            i += 8
        }
        var last: UInt64 = 0
        var shift: UInt64 = 0
        while i < n {
            last |= UInt64(u[i]) << shift
            shift += 8
            i += 1
        }
        h = (h ^ last) &* 0xC4CE_B9FE_1A85_EC53
        return h ^ (h >> 29)
    }

    /// `digest` of a string's UTF-8 bytes.
    public static func digest(_ s: String) -> UInt64 {
        var t = s
        return t.withUTF8 { digest(UnsafeRawBufferPointer($0)) }
    }

    /// True when every byte is below 0x80 (eight bytes per step).
    /// - Complexity: O(n).
    public static func isASCII(_ u: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = u.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let n = u.count
        var i = 0
        var acc: UInt64 = 0
        while i + 8 <= n {
            acc |= raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            i += 8
        }
        while i < n { acc |= UInt64(base[i]); i += 1 }
        return acc & 0x8080_8080_8080_8080 == 0
    }

    /// `s.lowercased()` for matching ASCII needles, on bytes. Only two code points lower-case
    /// into ASCII letters (U+0130 İ into `i` + a combining dot, U+212A KELVIN SIGN into `k`);
    /// a text holding either takes `lowercased()`, so the answer of an ASCII search is the same.
    /// - Complexity: O(n), one pass over the UTF-8 bytes, one allocation.
    public static func asciiLowercased(_ s: String) -> String {
        var s = s
        let fast: String? = s.withUTF8 { u in
            if find(UnsafeRawBufferPointer(u), bytes("\u{130}")) != nil
                || find(UnsafeRawBufferPointer(u), bytes("\u{212A}")) != nil { return nil }
            return String(unsafeUninitializedCapacity: u.count) { out in
                for i in 0..<u.count {
                    let c = u[i]
                    out[i] = (0x41...0x5A).contains(c) ? c | 0x20 : c
                }
                return u.count
            }
        }
        return fast ?? s.lowercased()
    }

    /// `trimmingCharacters(in: .whitespaces)` (Unicode space separators and tab) without
    /// bridging to Foundation: the per-line and per-entry paths (access lines, HAR header
    /// values, request ids) call it. Text whose ends are not blank is returned as it is.
    public static func trimmedBlanks<S: StringProtocol>(_ s: S) -> String where S.SubSequence == Substring {
        func blank(_ u: Unicode.Scalar) -> Bool { u == "\t" || u.properties.generalCategory == .spaceSeparator }
        let scalars = s.unicodeScalars
        if let f = scalars.first, let l = scalars.last, !blank(f), !blank(l) { return String(s) }
        guard let first = scalars.firstIndex(where: { !blank($0) }) else { return "" }
        let last = scalars.lastIndex(where: { !blank($0) })!
        return String(String.UnicodeScalarView(scalars[first...last]))
    }

    /// True when the line holds only spaces and tabs (or nothing).
    /// The bytes of a static string (its storage lives as long as the program: unlike a
    /// `String` passed as a pointer, which is valid only for the call it is passed to).
    @inline(__always)
    public static func bytes(_ s: StaticString) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount)
    }

    public static func isBlank(_ s: String) -> Bool {
        var s = s
        return s.withUTF8 { u in u.allSatisfy { $0 == 0x20 || $0 == 0x09 } }
    }

    /// Offset of the first occurrence of `needle` in `haystack`.
    ///
    /// The C library's `memmem`: it skips ahead by a shift table over byte pairs, where a
    /// `memchr` for the needle's first byte stops at every occurrence of a common letter
    /// (a rule's case-blind literals on a call's log text cost three times as much that way).
    /// On a haystack of 256 bytes or more `md_memmem` runs a `memchr` on the needle's rarest
    /// byte (by a fixed ranking of log text's bytes) and compares where it stops, handing over
    /// to `memmem` when that byte turns out common there: `memmem` ran at about 1 GB/s over
    /// long gateway lines, a `memchr` at several.
    public static func find(_ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Int? {
        let n = needle.count, h = haystack.count
        guard n > 0 else { return 0 }
        guard h >= n, let hBase = haystack.baseAddress, let nBase = needle.baseAddress else { return nil }
        guard let p = md_memmem(hBase, h, nBase, n) else { return nil }
        return p - hBase
    }
}

/// A string as a dictionary key by its exact UTF-8 bytes. `String`'s own equality is canonical
/// equivalence, so two spellings of `é` would share an entry; a memo of a byte- or
/// UTF-16-level function (a regex, a byte scanner) must tell them apart.
public struct ByteKey: Hashable, Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func == (a: ByteKey, b: ByteKey) -> Bool {
        var x = a.text, y = b.text
        return x.withUTF8 { u in y.withUTF8 { v in u.count == v.count && (u.count == 0 || memcmp(u.baseAddress!, v.baseAddress!, u.count) == 0) } }
    }

    public func hash(into h: inout Hasher) { h.combine(ByteSearch.digest(text)) }
}
