import DoctorIngest
import DoctorModel
import Foundation

/// What a Python `logging` prefix says about a line: when, how severe, which logger, and where
/// the message starts.
struct PyLogHead {
    var time: Date?
    /// The timestamp had fractional seconds (durations are meaningful).
    var fractional = false
    /// The timestamp carried a UTC offset (`Z`, `+08:00`); without one it is read as UTC.
    var hasOffset = false
    var level: String?
    var logger: String?
    /// UTF-8 offset of the message in the line.
    var messageOffset: Int
}

/// Recognises the logging layouts seen in tickets and finds the message after them.
///
/// The layouts are many (the SDK's own `[%(asctime)s - %(name)s:%(lineno)d - %(levelname)s]`,
/// the stdlib default `LEVEL:logger:msg`, `asctime - name - LEVEL - msg`, loguru's
/// `time | LEVEL | where - msg`, free-form `time - msg`), so the prefix is not matched as a
/// whole: a timestamp and a level word are looked for in the first bytes and the message
/// starts after them. Parsers key on the message, never on the exact prefix.
enum PyLogPrefix {
    static let levels: [String] = ["DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL", "FATAL", "TRACE", "SUCCESS"]
    private static let levelBytes: [[UInt8]] = levels.map { Array($0.utf8) }

    /// The head of a log record, or nil when the line does not start with a logging prefix
    /// (traceback lines, continuations, unprefixed messages).
    /// - Complexity: O(1): looks at the first 200 bytes at most.
    static func head(_ text: String) -> PyLogHead? {
        var text = text
        return text.withUTF8 { all in head(Bytes(rebasing: all.prefix(200))) }
    }

    typealias Bytes = UnsafeBufferPointer<UInt8>

    /// The head of a record from the line's first bytes (at most 200 of them, as `head(_:)`
    /// reads); they must be the bytes of the line's text (valid UTF-8, say all ASCII).
    static func head(_ u: Bytes) -> PyLogHead? {
        guard let first = u.first else { return nil }
        if first == UInt8(ascii: "["), u.count > 2, isDigit(u[1]) { return bracketed(u) }
        if isDigit(first) { return timestamped(u) }
        if isUpper(first) { return levelFirst(u) }
        return nil
    }

    /// `[2026-11-29 03:17:41 - httpx:82 - DEBUG] msg`, `[11/29/26 03:17:41] DEBUG msg`.
    private static func bracketed(_ u: Bytes) -> PyLogHead? {
        guard let close = u.firstIndex(of: UInt8(ascii: "]")) else { return nil }
        let inner = Bytes(rebasing: u[1..<close])
        guard let ts = Timestamp.parse(inner, from: 0) else { return nil }
        var head = PyLogHead(time: ts.date, fractional: ts.fractional, hasOffset: ts.hasOffset, messageOffset: close + 1)
        // Fields after the time are separated by " - ": `httpx:82`, `DEBUG`.
        var k = ts.length
        var segStart = k
        while k <= inner.count {
            let atSep = k + 2 < inner.count && inner[k] == 0x20 && inner[k + 1] == UInt8(ascii: "-") && inner[k + 2] == 0x20
            if k == inner.count || atSep {
                var a = segStart, b = k
                while a < b && inner[a] == 0x20 { a += 1 }
                while b > a && inner[b - 1] == 0x20 { b -= 1 }
                if b > a {
                    if let (lvl, end) = levelWord(inner, at: a), end == b { head.level = lvl } else if head.logger == nil {
                        var e = a
                        while e < b && inner[e] != UInt8(ascii: ":") { e += 1 }
                        head.logger = knownLogger(inner[a..<e]) ?? String(decoding: inner[a..<e], as: UTF8.self)
                    }
                }
                if k == inner.count { break }
                k += 3
                segStart = k
                continue
            }
            k += 1
        }
        var i = close + 1
        while i < u.count && u[i] == 0x20 { i += 1 }
        if head.level == nil, let (lvl, end) = levelWord(u, at: i) {
            head.level = lvl
            i = end
            while i < u.count && u[i] == 0x20 { i += 1 }
        }
        head.messageOffset = i
        return head
    }

    /// `2024-05-01 10:00:00,123 - openai._base_client - DEBUG - msg`, loguru, free-form.
    /// Also a clock without a date (`20:02:25,224 httpx INFO msg`, `%(asctime)s` with a
    /// `datefmt` of `%H:%M:%S`): the line is a record, its time unknown.
    private static func timestamped(_ u: Bytes) -> PyLogHead? {
        let ts = Timestamp.parse(u, from: 0)
        guard let length = ts?.length ?? clockLength(u) else { return nil }
        var head = PyLogHead(time: ts?.date, fractional: ts?.fractional ?? false, hasOffset: ts?.hasOffset ?? false, messageOffset: length)
        var i = length
        var loggerBefore: String?
        // Up to three tokens (logger, level, location) separated by " - ", " | ", " ", ": ", "[…]".
        for _ in 0..<4 {
            i = skipSeparators(u, i)
            guard i < u.count else { break }
            if let (lvl, end) = levelWord(u, at: i) {
                head.level = lvl
                i = skipSeparators(u, end)
                // A logger or location right after the level: `DEBUG openai._base_client: msg`,
                // `| module:fn:52 - msg`.
                if let (name, end2) = loggerToken(u, at: i), looksLikeLogger(u[i..<end2]) {
                    head.logger = name
                    i = skipSeparators(u, end2)
                }
                if head.logger == nil { head.logger = loggerBefore }
                head.messageOffset = i
                return head
            }
            // A logger before the level: `… - openai._base_client - DEBUG - msg`.
            guard loggerBefore == nil else { break }
            if let (name, end) = loggerToken(u, at: i) {
                loggerBefore = name
                i = end
                continue
            }
            // Or a plain word with only spaces before the level: `20:02:25,232 httpx INFO msg`.
            var j = i
            while j < u.count, isLower(u[j]) || isUpper(u[j]) || isDigit(u[j]) || u[j] == UInt8(ascii: "_") || u[j] == UInt8(ascii: ".") { j += 1 }
            guard j > i, j - i < 80, j < u.count, u[j] == 0x20, levelWord(u, at: skipSeparators(u, j)) != nil else { break }
            loggerBefore = String(decoding: u[i..<j], as: UTF8.self)
            i = j
        }
        // A clock alone must be followed by a level: `12:00:01 something` is not a record.
        guard ts != nil else { return nil }
        head.messageOffset = skipSeparators(u, length)
        return head
    }

    /// The length of `HH:MM:SS[,.]fff` followed by a space, or nil.
    private static func clockLength(_ u: Bytes) -> Int? {
        guard u.count > 9, isDigit(u[0]), isDigit(u[1]), u[2] == UInt8(ascii: ":"), isDigit(u[3]), isDigit(u[4]),
              u[5] == UInt8(ascii: ":"), isDigit(u[6]), isDigit(u[7]) else { return nil }
        var i = 8
        if u[i] == UInt8(ascii: ",") || u[i] == UInt8(ascii: ".") {
            i += 1
            while i < u.count, isDigit(u[i]) { i += 1 }
        }
        return i < u.count && u[i] == 0x20 ? i : nil
    }

    /// `DEBUG:openai._base_client:msg`, `INFO:     127.0.0.1:…`, `WARNING  app: msg`.
    private static func levelFirst(_ u: Bytes) -> PyLogHead? {
        guard let (lvl, end) = levelWord(u, at: 0), end < u.count else { return nil }
        var head = PyLogHead(level: lvl, messageOffset: end)
        if u[end] == UInt8(ascii: ":") {
            var j = end + 1
            let start = j
            while j < u.count && u[j] != UInt8(ascii: ":") && u[j] != 0x20 { j += 1 }
            if j < u.count && u[j] == UInt8(ascii: ":") && j > start {
                head.logger = String(decoding: u[start..<j], as: UTF8.self)
                head.messageOffset = j + 1
            } else {
                var k = end + 1
                while k < u.count && u[k] == 0x20 { k += 1 }
                head.messageOffset = k
            }
            return head
        }
        guard u[end] == 0x20 || u[end] == UInt8(ascii: "|") || u[end] == UInt8(ascii: "]") else { return nil }
        head.messageOffset = skipSeparators(u, end)
        return head
    }

    static func levelWord(_ u: Bytes, at i: Int) -> (String, Int)? {
        var j = i
        if j < u.count && u[j] == UInt8(ascii: "[") { j += 1 }
        let start = j
        while j < u.count && isUpper(u[j]) { j += 1 }
        guard j > start, j - start <= 8 else { return nil }
        // Compared as bytes: every prefixed line comes here, and a String per level word
        // showed in the profile.
        let n = j - start
        guard let w = levelBytes.firstIndex(where: { $0.count == n && $0.elementsEqual(u[start..<j]) }) else { return nil }
        let word = levels[w]
        if j < u.count && isLower(u[j]) { return nil }
        if j < u.count && u[j] == UInt8(ascii: "]") && i < start { j += 1 }
        return (word == "WARN" ? "WARNING" : word, j)
    }

    /// A logger-ish token (`openai._base_client`, `httpx:82`, `module:fn:52`) ending before a
    /// separator; nil for ordinary words followed by more text.
    private static func loggerToken(_ u: Bytes, at i0: Int) -> (String, Int)? {
        // `[openai._base_client]`
        if i0 < u.count, u[i0] == UInt8(ascii: "["), let close = u[i0...].firstIndex(of: UInt8(ascii: "]")), close - i0 < 80 {
            let tok = u[(i0 + 1)..<close]
            guard !tok.isEmpty, !tok.contains(0x20) else { return nil }
            return (knownLogger(tok) ?? loggerName(String(decoding: tok, as: UTF8.self)), close + 1)
        }
        let i = i0
        var j = i
        while j < u.count && u[j] != 0x20 && u[j] != UInt8(ascii: "]") && u[j] != UInt8(ascii: "|") { j += 1 }
        guard j > i, j - i < 80 else { return nil }
        var tok = u[i..<j]
        var end = j
        if tok.last == UInt8(ascii: ":") { tok = tok.dropLast() } else {
            // Must be followed by a separator (" - ", " | ", "] ") to count as a field.
            var k = j
            while k < u.count && u[k] == 0x20 { k += 1 }
            guard k < u.count, u[k] == UInt8(ascii: "-") || u[k] == UInt8(ascii: "|") || u[k] == UInt8(ascii: "]") else { return nil }
            if u[k] == UInt8(ascii: "]") { end = k + 1 }
        }
        guard let f = tok.first, isLower(f) || isUpper(f) || f == UInt8(ascii: "_") else { return nil }
        guard tok.allSatisfy({ isLower($0) || isUpper($0) || isDigit($0) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") }) else { return nil }
        return (knownLogger(tok) ?? loggerName(String(decoding: tok, as: UTF8.self)), end)
    }

    /// A field after the level is a logger only when it is dotted or has a location
    /// (`openai._base_client:`, `module:fn:52`), so a message such as `request_id: None` is
    /// not mistaken for one.
    private static func looksLikeLogger(_ tok: Slice<Bytes>) -> Bool {
        let inner = tok.last == UInt8(ascii: ":") ? tok.dropLast() : tok
        if inner.contains(UInt8(ascii: ".")) || inner.contains(UInt8(ascii: ":")) { return true }
        let s = String(decoding: inner, as: UTF8.self)
        return s.hasPrefix("openai") || s.hasPrefix("httpx") || s.hasPrefix("httpcore")
    }

    /// `httpx:82` → `httpx`; `module:fn:52` → `module`.
    /// The SDK's and its transport's logger names over 15 bytes (shorter strings are stored
    /// inline), as constants: every line of a dense log named one, and each made a string of
    /// its own. None holds a `:`, so `loggerName` would give the same.
    private static let knownLoggers: [(bytes: [UInt8], name: String)] = [
        "openai._base_client", "openai._response", "httpcore.connection", "httpcore.http11",
        "httpcore2.connection", "httpcore2.http11", "openai._legacy_response",
    ].map { (Array($0.utf8), $0) }

    private static func knownLogger(_ tok: Slice<Bytes>) -> String? {
        guard tok.count > 15, let base = tok.base.baseAddress else { return nil }
        for k in knownLoggers where k.bytes.count == tok.count {
            if k.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, base + tok.startIndex, tok.count) }) == 0 { return k.name }
        }
        return nil
    }

    static func loggerName(_ s: String) -> String {
        String(s.prefix { $0 != ":" })
    }

    private static func skipSeparators(_ u: Bytes, _ i: Int) -> Int {
        var j = i
        while j < u.count {
            let b = u[j]
            if b == 0x20 || b == UInt8(ascii: "|") || b == UInt8(ascii: "]") || b == UInt8(ascii: ":") || b == 0x09 {
                j += 1
            } else if b == UInt8(ascii: "-") && j + 1 < u.count && u[j + 1] == 0x20 && (j == i || u[j - 1] == 0x20) {
                j += 1
            } else { break }
        }
        return j
    }

    /// Byte-level prefix test on a message (`Substring.hasPrefix` is generic and slow).
    @inline(__always)
    static func starts(_ s: Substring, _ needle: StaticString) -> Bool {
        needle.withUTF8Buffer { n in
            ByteSearch.withBytes(s) { h in
                h.count >= n.count && (n.count == 0 || memcmp(h.baseAddress!, n.baseAddress!, n.count) == 0)
            }
        }
    }

    /// `s.dropFirst(n)` for an `s` that starts with an ASCII prefix of `n` bytes (as `starts`
    /// found): on UTF-8 offsets when an ASCII byte or the end follows, where the n-th
    /// Character ends; else on Characters (a combining mark after the prefix joins its last
    /// Character). `dropFirst` walks grapheme breaks on every record `handle` dispatches.
    static func dropPrefix(_ s: Substring, _ n: Int) -> Substring {
        let u = s.utf8
        let i = u.index(u.startIndex, offsetBy: n)
        if i == u.endIndex || u[i] < 0x80 { return s[i...] }
        return s.dropFirst(n)
    }

    /// The text after the first `needle` in `s`, found on bytes (Foundation's `range(of:)` is
    /// slow on long lines); nil when absent.
    static func after(_ s: Substring, _ needle: StaticString) -> Substring? {
        let offset: Int? = needle.withUTF8Buffer { n in
            ByteSearch.withBytes(s) { h in ByteSearch.find(UnsafeRawBufferPointer(h), UnsafeRawBufferPointer(n)) }
        }
        guard let offset else { return nil }
        let i = s.utf8.index(s.utf8.startIndex, offsetBy: offset + needle.utf8CodeUnitCount)
        return s[i...]
    }

    /// `s` without leading and trailing spaces and tabs.
    static func trimmed(_ s: Substring) -> Substring {
        var a = s.startIndex, b = s.endIndex
        while a < b && (s[a] == " " || s[a] == "\t") { a = s.index(after: a) }
        while b > a && (s[s.index(before: b)] == " " || s[s.index(before: b)] == "\t") { b = s.index(before: b) }
        return s[a..<b]
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
    static func isUpper(_ b: UInt8) -> Bool { b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") }
    static func isLower(_ b: UInt8) -> Bool { b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z") }
}

/// Timestamps of Python log prefixes, converted without `DateFormatter` (hot path).
enum Timestamp {
    struct Parsed {
        var date: Date
        var length: Int
        var fractional: Bool
        var hasOffset: Bool
    }

    /// `YYYY-MM-DD[ T]HH:MM:SS[,.]fff[Z|±HH[:]MM]` or `YYYY/MM/DD …`, or rich's `MM/DD/YY HH:MM:SS`.
    static func parse(_ u: PyLogPrefix.Bytes, from s: Int) -> Parsed? {
        func num(_ i: Int, _ n: Int) -> Int? {
            guard i + n <= u.count else { return nil }
            var v = 0
            for k in i..<(i + n) { guard PyLogPrefix.isDigit(u[k]) else { return nil }; v = v * 10 + Int(u[k] - 48) }
            return v
        }
        var y: Int, mo: Int, d: Int, i: Int
        if let yy = num(s, 4), s + 4 < u.count, u[s + 4] == UInt8(ascii: "-") || u[s + 4] == UInt8(ascii: "/"),
           let m = num(s + 5, 2), u[s + 7] == u[s + 4], let dd = num(s + 8, 2) {
            (y, mo, d, i) = (yy, m, dd, s + 10)
        } else if let m = num(s, 2), s + 2 < u.count, u[s + 2] == UInt8(ascii: "/"), let dd = num(s + 3, 2),
                  s + 5 < u.count, u[s + 5] == UInt8(ascii: "/"), let yy = num(s + 6, 2) {
            (y, mo, d, i) = (2000 + yy, m, dd, s + 8)
        } else { return nil }
        guard i < u.count, u[i] == 0x20 || u[i] == UInt8(ascii: "T"),
              let h = num(i + 1, 2), i + 3 < u.count, u[i + 3] == UInt8(ascii: ":"),
              let mi = num(i + 4, 2), i + 6 < u.count, u[i + 6] == UInt8(ascii: ":"), let se = num(i + 7, 2),
              (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, se < 61 else { return nil }
        i += 9
        var frac = 0.0
        var fractional = false
        if i < u.count, u[i] == UInt8(ascii: ",") || u[i] == UInt8(ascii: "."), i + 1 < u.count, PyLogPrefix.isDigit(u[i + 1]) {
            i += 1
            var scale = 0.1
            while i < u.count, PyLogPrefix.isDigit(u[i]) { frac += Double(u[i] - 48) * scale; scale /= 10; i += 1 }
            fractional = true
        }
        var offset = 0
        var hasOffset = false
        if i < u.count, u[i] == UInt8(ascii: "Z") {
            hasOffset = true; i += 1
        } else if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-"), let oh = num(i + 1, 2) {
            var j = i + 3
            if j < u.count && u[j] == UInt8(ascii: ":") { j += 1 }
            if let om = num(j, 2) {
                offset = (oh * 60 + om) * 60 * (u[i] == UInt8(ascii: "-") ? -1 : 1)
                hasOffset = true
                i = j + 2
            }
        }
        let secs = Double(daysFromCivil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - offset) + frac
        return Parsed(date: Date(timeIntervalSince1970: secs), length: i - s, fractional: fractional, hasOffset: hasOffset)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }
}
