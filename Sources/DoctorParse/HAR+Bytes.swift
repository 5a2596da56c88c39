import DoctorIngest
import DoctorModel
import Foundation

extension HAR {
    /// A strict JSON check that is never more lenient than Foundation's `JSONDecoder`.
    ///
    /// The byte reader (`HAR.Bytes`) reads only documents this accepts, so that everything it
    /// returns is what the decoder would have returned. The decoder accepts more (trailing
    /// commas; a bad escape, a lone surrogate, invalid UTF-8, a leading zero or an out-of-range
    /// number in a value it is never asked for), and some of that changes what a lenient field
    /// decodes to; on any such input this answers false and the caller keeps the decoder.
    /// Rejected as well, to stay clear of the decoder's edges: nesting deeper than 400 levels,
    /// numbers with more than 40 digits or an exponent beyond ±250.
    /// `depth` is the nesting depth of the value within its document, for one value checked
    /// apart from the document it is part of (a HAR entry: `EntryStream`).
    /// - Complexity: O(n), one pass, no allocation.
    static func isPlainJSON(_ doc: UnsafeRawBufferPointer, depth: Int = 0) -> Bool {
        guard let base = doc.baseAddress else { return false }
        var v = StrictValidator(p: base.assumingMemoryBound(to: UInt8.self), n: doc.count)
        v.skipSpace()
        guard v.value(depth: depth) else { return false }
        v.skipSpace()
        return v.i == v.n
    }

    /// Per byte: 1 when a string scan must stop there (quote, backslash, control, non-ASCII).
    fileprivate static let stringStops: [UInt8] = (0..<256).map { c in
        c == 0x22 || c == 0x5C || c < 0x20 || c >= 0x80 ? 1 : 0
    }

    private struct StrictValidator {
        let p: UnsafePointer<UInt8>
        let n: Int
        var i = 0

        @inline(__always) mutating func skipSpace() {
            while i < n {
                let c = p[i]
                guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { return }
                i += 1
            }
        }

        mutating func value(depth: Int) -> Bool {
            guard i < n else { return false }
            switch p[i] {
            case 0x7B:  // {
                guard depth < 400 else { return false }
                i += 1; skipSpace()
                if i < n, p[i] == 0x7D { i += 1; return true }
                while true {
                    guard i < n, p[i] == 0x22, string() else { return false }
                    skipSpace()
                    guard i < n, p[i] == 0x3A else { return false }
                    i += 1; skipSpace()
                    guard value(depth: depth + 1) else { return false }
                    skipSpace()
                    guard i < n else { return false }
                    if p[i] == 0x2C { i += 1; skipSpace(); continue }
                    if p[i] == 0x7D { i += 1; return true }
                    return false
                }
            case 0x5B:  // [
                guard depth < 400 else { return false }
                i += 1; skipSpace()
                if i < n, p[i] == 0x5D { i += 1; return true }
                while true {
                    guard value(depth: depth + 1) else { return false }
                    skipSpace()
                    guard i < n else { return false }
                    if p[i] == 0x2C { i += 1; skipSpace(); continue }
                    if p[i] == 0x5D { i += 1; return true }
                    return false
                }
            case 0x22: return string()
            case 0x74: return literal(0x74, 0x72, 0x75, 0x65, count: 4)  // true
            case 0x66: return literal(0x66, 0x61, 0x6C, 0x73, count: 5, last: 0x65)  // false
            case 0x6E: return literal(0x6E, 0x75, 0x6C, 0x6C, count: 4)  // null
            case 0x2D, 0x30...0x39: return number()
            default: return false
            }
        }

        mutating func literal(_ a: UInt8, _ b: UInt8, _ c: UInt8, _ d: UInt8, count: Int, last: UInt8 = 0) -> Bool {
            guard i + count <= n, p[i] == a, p[i + 1] == b, p[i + 2] == c, p[i + 3] == d,
                  count == 4 || p[i + 4] == last else { return false }
            i += count
            return true
        }

        /// RFC 8259 number grammar: no leading zero, digits after `.` and `e`.
        mutating func number() -> Bool {
            if p[i] == 0x2D { i += 1 }
            guard i < n, (0x30...0x39).contains(p[i]) else { return false }
            var digits = 0
            if p[i] == 0x30 {
                i += 1; digits = 1
            } else {
                while i < n, (0x30...0x39).contains(p[i]) { i += 1; digits += 1 }
            }
            if i < n, p[i] == 0x2E {
                i += 1
                let start = i
                while i < n, (0x30...0x39).contains(p[i]) { i += 1 }
                guard i > start else { return false }
                digits += i - start
            }
            guard digits <= 40 else { return false }
            if i < n, p[i] == 0x65 || p[i] == 0x45 {
                i += 1
                if i < n, p[i] == 0x2B || p[i] == 0x2D { i += 1 }
                var exponent = 0
                let start = i
                while i < n, (0x30...0x39).contains(p[i]) {
                    exponent = exponent * 10 + Int(p[i] - 0x30)
                    guard exponent <= 250 else { return false }
                    i += 1
                }
                guard i > start else { return false }
            }
            // The token must end here (the decoder would not split `12a`; neither do we).
            return true
        }

        /// A string from its opening quote; escapes checked, surrogates paired, UTF-8 well formed.
        mutating func string() -> Bool {
            i += 1
            return HAR.stringStops.withUnsafeBufferPointer { stops in
                while i < n {
                    // Eight plain bytes at a time (no quote, backslash, control or non-ASCII byte).
                    while i + 8 <= n {
                        let x = UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)
                        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
                        let q = x ^ 0x2222_2222_2222_2222, s = x ^ 0x5C5C_5C5C_5C5C_5C5C
                        let special = (x | ((q &- ones) & ~q) | ((s &- ones) & ~s) | ((x &- 0x2020_2020_2020_2020) & ~x)) & high
                        guard special == 0 else { break }
                        i += 8
                    }
                    guard i < n else { break }
                    let c = p[i]
                    if stops[Int(c)] == 0 { i += 1; continue }
                    if c == 0x22 { i += 1; return true }
                    if c < 0x20 { return false }
                    if c == 0x5C {
                        guard i + 1 < n else { return false }
                        switch p[i + 1] {
                        case 0x22, 0x5C, 0x2F, 0x62, 0x66, 0x6E, 0x72, 0x74: i += 2
                        case 0x75:
                            guard let u = hex4(i + 2) else { return false }
                            i += 6
                            if (0xDC00...0xDFFF).contains(u) { return false }
                            if (0xD800...0xDBFF).contains(u) {
                                guard i + 1 < n, p[i] == 0x5C, p[i + 1] == 0x75, let low = hex4(i + 2),
                                      (0xDC00...0xDFFF).contains(low) else { return false }
                                i += 6
                            }
                        default: return false
                        }
                        continue
                    }
                    guard utf8Sequence() else { return false }
                }
                return false
            }
        }

        func hex4(_ at: Int) -> UInt32? {
            guard at + 4 <= n else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = p[k]
                let d: UInt8
                switch c {
                case 0x30...0x39: d = c - 0x30
                case 0x41...0x46: d = c - 0x41 + 10
                case 0x61...0x66: d = c - 0x61 + 10
                default: return nil
                }
                v = v << 4 | UInt32(d)
            }
            return v
        }

        /// One well-formed UTF-8 sequence of 2–4 bytes at `i` (Unicode table 3-7).
        mutating func utf8Sequence() -> Bool {
            let c = p[i]
            func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
                i + k < n && p[i + k] >= lo && p[i + k] <= hi
            }
            switch c {
            case 0xC2...0xDF: guard cont(1) else { return false }; i += 2
            case 0xE0: guard cont(1, 0xA0), cont(2) else { return false }; i += 3
            case 0xE1...0xEC, 0xEE, 0xEF: guard cont(1), cont(2) else { return false }; i += 3
            case 0xED: guard cont(1, 0x80, 0x9F), cont(2) else { return false }; i += 3
            case 0xF0: guard cont(1, 0x90), cont(2), cont(3) else { return false }; i += 4
            case 0xF1...0xF3: guard cont(1), cont(2), cont(3) else { return false }; i += 4
            case 0xF4: guard cont(1, 0x80, 0x8F), cont(2), cont(3) else { return false }; i += 4
            default: return false
            }
            return true
        }
    }
}

extension HAR {
    /// Reads values out of a document that `isPlainJSON` accepted, without building a tree.
    ///
    /// Positions are byte offsets into the document. Every function is bounds-checked, so a
    /// document that was not validated gives wrong answers, never a crash.
    struct Bytes {
        let p: UnsafePointer<UInt8>
        let n: Int

        /// nil for a buffer without storage (empty).
        init?(_ raw: UnsafeRawBufferPointer) {
            guard let base = raw.baseAddress else { return nil }
            p = base.assumingMemoryBound(to: UInt8.self)
            n = raw.count
        }

        @inline(__always) func byte(_ i: Int) -> UInt8 { i < n ? p[i] : 0 }

        @inline(__always) func skipSpace(_ i: Int) -> Int {
            var i = i
            while i < n {
                let c = p[i]
                guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { break }
                i += 1
            }
            return i
        }

        /// Offset just past the closing quote of the string whose opening quote is at `i`.
        func stringEnd(_ i: Int) -> Int {
            var k = i + 1
            while k < n {
                guard let q = memchr(p + k, 0x22, n - k) else { return n }
                let at = UnsafePointer<UInt8>(q.assumingMemoryBound(to: UInt8.self)) - p
                var slashes = 0
                while at - slashes - 1 > i, p[at - slashes - 1] == 0x5C { slashes += 1 }
                if slashes % 2 == 0 { return at + 1 }
                k = at + 1
            }
            return n
        }

        /// Offset just past the value starting at `i`.
        func valueEnd(_ i: Int) -> Int {
            guard i < n else { return n }
            switch p[i] {
            case 0x22: return stringEnd(i)
            case 0x7B, 0x5B:
                var depth = 0, k = i
                while k < n {
                    switch p[k] {
                    case 0x22: k = stringEnd(k); continue
                    case 0x7B, 0x5B: depth += 1
                    case 0x7D, 0x5D:
                        depth -= 1
                        if depth == 0 { return k + 1 }
                    default: break
                    }
                    k += 1
                }
                return n
            default:
                var k = i
                while k < n {
                    let c = p[k]
                    guard (0x30...0x39).contains(c) || (0x61...0x7A).contains(c) || c == 0x2D || c == 0x2B
                            || c == 0x2E || c == 0x45 else { break }
                    k += 1
                }
                return max(k, i + 1)
            }
        }

        /// Calls `body` with each member of the object at `i` (key span without quotes, value
        /// offset); returns the offset past the object.
        @discardableResult
        func members(_ i: Int, _ body: (Range<Int>, Int) -> Void) -> Int {
            membersReading(i) { key, v in body(key, v); return nil }
        }

        /// `members`, where `body` returns the offset past a value it walked itself (a nested
        /// object or array it read), so the walk does not step over that value a second time;
        /// nil to have it stepped over.
        @discardableResult
        func membersReading(_ i: Int, _ body: (Range<Int>, Int) -> Int?) -> Int {
            guard byte(i) == 0x7B else { return valueEnd(i) }
            var k = skipSpace(i + 1)
            if byte(k) == 0x7D { return k + 1 }
            while k < n, p[k] == 0x22 {
                let keyEnd = stringEnd(k)
                let key = (k + 1)..<max(k + 1, keyEnd - 1)
                k = skipSpace(keyEnd)
                guard byte(k) == 0x3A else { return n }
                let v = skipSpace(k + 1)
                k = skipSpace(body(key, v) ?? valueEnd(v))
                if byte(k) == 0x2C { k = skipSpace(k + 1); continue }
                return byte(k) == 0x7D ? k + 1 : n
            }
            return n
        }

        /// Calls `body` with the offset of each element of the array at `i`.
        @discardableResult
        func elements(_ i: Int, _ body: (Int) -> Void) -> Int {
            guard byte(i) == 0x5B else { return valueEnd(i) }
            var k = skipSpace(i + 1)
            if byte(k) == 0x5D { return k + 1 }
            while k < n {
                body(k)
                k = skipSpace(valueEnd(k))
                if byte(k) == 0x2C { k = skipSpace(k + 1); continue }
                return byte(k) == 0x5D ? k + 1 : n
            }
            return n
        }

        /// Whether the key span equals `name` once unescaped (`"u\u0072l"` is `url`).
        func key(_ span: Range<Int>, is name: StaticString) -> Bool {
            let count = name.utf8CodeUnitCount
            if span.count == count {
                return memcmp(p + span.lowerBound, name.utf8Start, count) == 0
            }
            guard span.count > count, memchr(p + span.lowerBound, 0x5C, span.count) != nil else { return false }
            return string(span) == name.description
        }

        /// The text of a string given its span inside the quotes, escapes decoded.
        func string(_ span: Range<Int>) -> String {
            let start = p + span.lowerBound
            guard memchr(start, 0x5C, span.count) != nil else {
                return String(decoding: UnsafeBufferPointer(start: start, count: span.count), as: UTF8.self)
            }
            var out: [UInt8] = []
            out.reserveCapacity(span.count)
            var k = span.lowerBound
            let end = span.upperBound
            while k < end {
                let c = p[k]
                guard c == 0x5C, k + 1 < end else { out.append(c); k += 1; continue }
                let e = p[k + 1]
                k += 2
                switch e {
                case 0x62: out.append(0x08)
                case 0x66: out.append(0x0C)
                case 0x6E: out.append(0x0A)
                case 0x72: out.append(0x0D)
                case 0x74: out.append(0x09)
                case 0x75:
                    var u = hex4(k, end) ?? 0xFFFD
                    k += 4
                    if (0xD800...0xDBFF).contains(u), k + 6 <= end, p[k] == 0x5C, p[k + 1] == 0x75,
                       let low = hex4(k + 2, end), (0xDC00...0xDFFF).contains(low) {
                        u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00)
                        k += 6
                    }
                    appendUTF8(Unicode.Scalar(u) ?? "\u{FFFD}", to: &out)
                default: out.append(e)  // " \ /
                }
            }
            return String(decoding: out, as: UTF8.self)
        }

        private func hex4(_ at: Int, _ end: Int) -> UInt32? {
            guard at + 4 <= end else { return nil }
            var v: UInt32 = 0
            for k in at..<(at + 4) {
                let c = p[k]
                switch c {
                case 0x30...0x39: v = v << 4 | UInt32(c - 0x30)
                case 0x41...0x46: v = v << 4 | UInt32(c - 0x41 + 10)
                case 0x61...0x66: v = v << 4 | UInt32(c - 0x61 + 10)
                default: return nil
                }
            }
            return v
        }

        private func appendUTF8(_ s: Unicode.Scalar, to out: inout [UInt8]) {
            UTF8.encode(s) { out.append($0) }
        }

        /// The string value at `i`, or nil when the value there is not a string.
        func stringValue(_ i: Int) -> String? {
            guard byte(i) == 0x22 else { return nil }
            return string((i + 1)..<max(i + 1, stringEnd(i) - 1))
        }

        /// `stringValue` and the offset past the string (for `membersReading`); both nil when
        /// the value at `i` is not a string.
        func stringValueAndEnd(_ i: Int) -> (String?, Int?) {
            guard byte(i) == 0x22 else { return (nil, nil) }
            let end = stringEnd(i)
            return (string((i + 1)..<max(i + 1, end - 1)), end)
        }

        /// The span inside the quotes of the string value at `i`.
        func stringSpan(_ i: Int) -> Range<Int>? {
            guard byte(i) == 0x22 else { return nil }
            return (i + 1)..<max(i + 1, stringEnd(i) - 1)
        }

        /// The number at `i` as `JSONDecoder` reads it into a `Double` (nil when not a number).
        func numberValue(_ i: Int) -> Double? {
            let c = byte(i)
            guard c == 0x2D || (0x30...0x39).contains(c) else { return nil }
            let end = valueEnd(i)
            return Double(String(decoding: UnsafeBufferPointer(start: p + i, count: end - i), as: UTF8.self))
        }
    }
}
