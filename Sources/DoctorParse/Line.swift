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

/// Substring search on UTF-8 bytes (first byte with `memchr`, then `memcmp`).
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

    /// Offset of the first occurrence of `needle` in `haystack`.
    public static func find(_ haystack: UnsafeRawBufferPointer, _ needle: UnsafeRawBufferPointer) -> Int? {
        let n = needle.count, h = haystack.count
        guard n > 0 else { return 0 }
        guard h >= n, let hBase = haystack.baseAddress, let nBase = needle.baseAddress else { return nil }
        let first = Int32(needle[0])
        var start = 0
        let last = h - n
        while start <= last {
            guard let p = memchr(hBase + start, first, last - start + 1) else { return nil }
            let at = UnsafeRawPointer(p) - hBase
            if memcmp(p, nBase, n) == 0 { return at }
            start = at + 1
        }
        return nil
    }
}
