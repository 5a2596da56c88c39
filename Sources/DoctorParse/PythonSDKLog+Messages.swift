import DoctorIngest
import DoctorModel
import Foundation

/// Readers for the individual openai-python / httpx / httpcore debug messages. Pure functions
/// of the message text, so each layout can be tested alone.
enum PyMessage {
    /// A request or response summary line.
    struct StatusLine: Equatable {
        var method: String
        var url: String?
        var status: Int?
        var reason: String?
        /// The text inside `Headers(…)`, when the line carries response headers.
        var headersText: Substring?
    }

    /// Reads what follows `HTTP Response: ` / `HTTP Request: ` / `Sending HTTP Request: `:
    /// `GET http://h/v1/models "404 Not Found" Headers({...})` (1.x/2.x),
    /// `GET http://h/v1/models "HTTP/1.1 404 Not Found"` (httpx), `GET 404` (3.x),
    /// `GET http://h/v1/models` and `GET` (requests).
    ///
    /// ASCII text (nearly every status line) is read on its bytes; other text goes through
    /// the Character-level reader, whose grapheme rules the byte reader would not match.
    /// - Complexity: O(n) in the UTF-8 length.
    static func statusLine(_ s: Substring) -> StatusLine? {
        let fast: StatusLine?? = ByteSearch.withBytes(s) { u in
            ByteSearch.isASCII(u) ? .some(asciiStatusLine(s, u)) : nil
        }
        if let fast { return fast }
        return characterStatusLine(s)
    }

    /// `statusLine` on ASCII bytes: one byte per Character, so byte offsets are the
    /// Character offsets of `characterStatusLine` and both read the same fields.
    private static func asciiStatusLine(_ s: Substring, _ u: UnsafeBufferPointer<UInt8>) -> StatusLine? {
        let n = u.count
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        func sub(_ a: Int, _ b: Int) -> Substring {
            let u8 = s.utf8
            let lo = u8.index(u8.startIndex, offsetBy: a), hi = u8.index(lo, offsetBy: b - a)
            return s[lo..<hi]
        }
        func string(_ a: Int, _ b: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: u[a..<b]), as: UTF8.self) }
        var i = 0
        while i < n && u[i] != 0x20 {
            guard PyLogPrefix.isUpper(u[i]) || PyLogPrefix.isLower(u[i]) else { return nil }
            i += 1
        }
        guard i > 0 else { return nil }
        var upper = Array(u[0..<i])
        for k in upper.indices where PyLogPrefix.isLower(upper[k]) { upper[k] -= 0x20 }
        var line = StatusLine(method: String(decoding: upper, as: UTF8.self))
        while i < n && u[i] == 0x20 { i += 1 }
        if i == n { return line }
        if isDigit(u[i]) {
            // 3.x metadata-only line: `GET 200`.
            var e = i
            while e < n && isDigit(u[e]) { e += 1 }
            line.status = Int(string(i, e))
            return line
        }
        // The first ` "` after the URL.
        var q = -1
        var k = i + 1
        while k < n {
            if u[k] == UInt8(ascii: "\"") && u[k - 1] == 0x20 { q = k - 1; break }
            k += 1
        }
        guard q >= 0 else {
            var e = i
            while e < n && u[e] != 0x20 { e += 1 }
            line.url = string(i, e)
            return line
        }
        line.url = string(i, q)
        let restStart = q + 2
        var close = restStart
        while close < n && u[close] != UInt8(ascii: "\"") { close += 1 }
        guard close < n else { return line }
        var a = restStart
        if close - a >= 5 && memcmp(u.baseAddress! + a, "HTTP/", 5) == 0 {
            while a < close && u[a] != 0x20 { a += 1 }
            if a < close { a += 1 }
        }
        var e = a
        while e < close && isDigit(u[e]) { e += 1 }
        line.status = Int(string(a, e))
        var r0 = e, r1 = close
        while r0 < r1 && (u[r0] == 0x20 || u[r0] == 0x09) { r0 += 1 }
        while r1 > r0 && (u[r1 - 1] == 0x20 || u[r1 - 1] == 0x09) { r1 -= 1 }
        line.reason = r1 > r0 ? string(r0, r1) : nil
        let after = UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: u[(close + 1)...]))
        let marker: StaticString = "Headers("
        if let h = marker.withUTF8Buffer({ ByteSearch.find(after, UnsafeRawBufferPointer($0)) }) {
            let innerStart = close + 1 + h + marker.utf8CodeUnitCount
            var innerEnd = n
            var j = n
            while j > innerStart { j -= 1; if u[j] == UInt8(ascii: ")") { innerEnd = j; break } }
            line.headersText = sub(innerStart, innerEnd)
        }
        return line
    }

    static func characterStatusLine(_ s: Substring) -> StatusLine? {
        let method = s.prefix { $0 != " " }
        guard !method.isEmpty, method.allSatisfy({ $0.isASCII && $0.isLetter }) else { return nil }
        var line = StatusLine(method: method.uppercased())
        var rest = s.dropFirst(method.count).drop { $0 == " " }
        if rest.isEmpty { return line }
        if let first = rest.first, first.isNumber {
            // 3.x metadata-only line: `GET 200`.
            line.status = Int(rest.prefix { $0.isNumber })
            return line
        }
        if let q = quoteAfterSpace(rest) {
            line.url = String(rest[..<q])
            rest = rest[rest.index(q, offsetBy: 2)...]
            guard let close = rest.firstIndex(of: "\"") else { return line }
            var quoted = rest[..<close]
            if quoted.hasPrefix("HTTP/") { quoted = quoted.drop { $0 != " " }.dropFirst() }
            let code = quoted.prefix { $0.isNumber }
            line.status = Int(code)
            let reason = String(PyLogPrefix.trimmed(quoted.dropFirst(code.count)))
            line.reason = reason.isEmpty ? nil : reason
            let after = rest[rest.index(after: close)...]
            if var inner = PyLogPrefix.after(after, "Headers(") {
                if let last = inner.lastIndex(of: ")") { inner = inner[..<last] }
                line.headersText = inner
            }
        } else {
            line.url = String(rest.prefix { $0 != " " })
        }
        return line
    }

    /// Index of the first ` "` (space, double quote) in `s`.
    private static func quoteAfterSpace(_ s: Substring) -> Substring.Index? {
        var prev: UInt8 = 0
        var i = s.utf8.startIndex
        while i < s.utf8.endIndex {
            let b = s.utf8[i]
            if b == UInt8(ascii: "\"") && prev == 0x20 { return s.utf8.index(before: i) }
            prev = b
            i = s.utf8.index(after: i)
        }
        return nil
    }

    /// A header's value, the name compared ASCII-case-insensitively without Foundation
    /// (`[Header].value` is correct but slow per line). `lowercased` must be lower case.
    static func header(_ headers: [Header], _ lowercased: String) -> String? {
        // On the names' bytes, a name of another length rejected first (the generic
        // `elementsEqual` on two UTF-8 views cost more than the rest of closing a call).
        var want = lowercased
        return want.withUTF8 { w in
            headers.first { h in
                var name = h.name
                return name.utf8.count == w.count && name.withUTF8 { u in
                    var k = 0
                    while k < w.count && (u[k] | 0x20) == w[k] { k += 1 }
                    return k == w.count
                }
            }?.value
        }
    }

    /// Headers from the inside of an httpx `Headers(…)` repr: a dict, or a list of 2-tuples
    /// when a name repeats.
    static func headers(_ inner: Substring) -> [Header] {
        (PythonLiteral.pairs(inner) ?? []).map { Header($0.0, $0.1) }
    }

    /// httpcore's `receive_response_headers.complete return_value=(b'HTTP/1.1', 200, b'OK', [(b'Server', b'nginx'), …])`.
    static func wireResponse(_ s: Substring) -> (status: Int, reason: String?, headers: [Header])? {
        guard let rest = PyLogPrefix.after(s, "return_value=") else { return nil }
        guard let v = PythonLiteral.parse(rest, allowTruncated: true), let t = v.array, t.count >= 2,
              let code = t[1].string.flatMap({ Int($0) }) else { return nil }
        var headers: [Header] = []
        if t.count >= 4, let list = t[3].array {
            for item in list {
                if let kv = item.array, kv.count == 2, let k = kv[0].string, let val = kv[1].string { headers.append(Header(k, val)) }
            }
        }
        return (code, t.count >= 3 ? t[2].string : nil, headers)
    }

    /// The request options dict of `Request options: {…}`.
    struct Options {
        var method: String?
        var url: String?
        var body: JSONValue?
        var headers: [Header] = []
        var idempotencyKey: String?
    }

    static func options(_ s: Substring) -> Options? {
        guard let v = PythonLiteral.parse(s, allowTruncated: true), v.object != nil else { return nil }
        var o = Options()
        o.method = v["method"]?.string?.uppercased()
        o.url = v["url"]?.string
        if let body = v["json_data"], !body.isNull { o.body = body }
        if let h = v["headers"]?.object {
            o.headers = h.keys.sorted().map { Header($0, h[$0]?.string ?? "") }
        }
        o.idempotencyKey = v["idempotency_key"]?.string
        return o
    }

    /// `Building HTTP request: method=POST retries_taken=1` (3.x).
    static func building(_ s: Substring) -> (method: String?, retriesTaken: Int) {
        // ASCII text (nearly every such line) on its bytes: there a Character is a byte, and
        // the fields are the runs between spaces (splitting on Characters walked grapheme
        // breaks over the whole request, some 35,000 instructions a call).
        if let fast = ByteSearch.withBytes(s, { u in ByteSearch.isASCII(u) ? asciiBuilding(u) : nil }) { return fast }
        var method: String?
        var retries = 0
        for field in s.split(separator: " ") {
            // A byte test first (`Substring.hasPrefix` walks Characters; this runs once per call).
            if PyLogPrefix.starts(field, "method="), field.hasPrefix("method=") { method = String(field.dropFirst(7)).uppercased() }
            if PyLogPrefix.starts(field, "retries_taken="), field.hasPrefix("retries_taken=") { retries = Int(field.dropFirst(14)) ?? 0 }
        }
        return (method, retries)
    }

    /// `building` on ASCII bytes.
    private static func asciiBuilding(_ u: UnsafeBufferPointer<UInt8>) -> (method: String?, retriesTaken: Int) {
        var method: String?
        var retries = 0
        func value(_ a: Int, _ b: Int) -> String { String(decoding: UnsafeBufferPointer(rebasing: u[a..<b]), as: UTF8.self) }
        func starts(_ a: Int, _ b: Int, _ p: StaticString) -> Bool {
            let n = p.utf8CodeUnitCount
            return b - a >= n && memcmp(u.baseAddress! + a, p.utf8Start, n) == 0
        }
        var i = 0
        let n = u.count
        while i < n {
            while i < n && u[i] == 0x20 { i += 1 }
            let start = i
            while i < n && u[i] != 0x20 { i += 1 }
            guard i > start else { break }
            if starts(start, i, "method=") { method = value(start + 7, i).uppercased() }
            if starts(start, i, "retries_taken=") { retries = Int(value(start + 14, i)) ?? 0 }
        }
        return (method, retries)
    }

    /// `connect_tcp.started host='127.0.0.1' port=3128 …` → host and port.
    static func connectTarget(_ s: Substring) -> (host: String, port: Int)? {
        guard let h = PyLogPrefix.after(s, "host='"), let p = PyLogPrefix.after(s, " port=") else { return nil }
        let host = h.prefix { $0 != "'" }
        guard let port = Int(p.prefix { $0.isNumber }) else { return nil }
        return (String(host), port)
    }

    /// `Error code: 404 - {…}` → the status and the text after ` - ` (empty when none).
    static func errorCode(_ s: Substring) -> (status: Int, body: Substring)? {
        guard let after = PyLogPrefix.after(s, "Error code: ") else { return nil }
        let digits = after.prefix { $0.isNumber }
        guard let code = Int(digits), (100...599).contains(code) else { return nil }
        var body = after.dropFirst(digits.count)
        if body.hasPrefix(" - ") { body = body.dropFirst(3) } else { body = body.prefix(0) }
        return (code, body)
    }

    /// `(request id: 2026112903181838384881417WGELkk)` inside One API / New API messages.
    static func requestIDInMessage(_ s: String) -> String? {
        guard let r = ByteSearch.range(of: "request id: ", in: s) else { return nil }
        let id = s[r.upperBound...].prefix { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }
        return id.isEmpty ? nil : String(id)
    }

    /// The `<title>` of an HTML page, or its first non-empty line.
    static func summary(ofBody body: String) -> String {
        if let t = body.range(of: "<title>", options: .caseInsensitive),
           let e = body.range(of: "</title>", options: .caseInsensitive, range: t.upperBound..<body.endIndex) {
            return body[t.upperBound..<e.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let first = body.split(separator: "\n").first { !$0.trimmingCharacters(in: .whitespaces).isEmpty } ?? ""
        return String(first.prefix(300))
    }
}
