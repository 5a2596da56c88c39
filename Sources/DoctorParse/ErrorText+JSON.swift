import DoctorIngest
import DoctorModel
import Foundation

/// Finding JSON-like objects anywhere in pasted text: JSON (one line or pretty-printed, also
/// with line breaks the paste added inside strings), Python dict reprs (`{'error': None}`) and
/// Node `util.inspect` dumps.
enum ErrorTextJSON {
    /// One object found in the text, with its UTF-8 byte range.
    struct Found {
        var value: JSONValue
        var start: Int
        var end: Int
    }

    /// Every outermost object (or array of objects) that parses, left to right.
    /// - Complexity: O(n) per candidate `{`; candidates that fail are retried one byte later,
    ///   so worst case O(n²) on a capped text.
    static func objects(in text: String) -> [Found] {
        let b = Array(text.utf8)
        var out: [Found] = []
        var i = 0
        var attempts = 0
        while i < b.count, attempts < 5000 {
            if b[i] == UInt8(ascii: "["), startsArrayOfObjects(b, i), let end = matchingClose(b, i) {
                attempts += 1
                if let v = parseArray(String(decoding: b[i...end], as: UTF8.self)) {
                    out.append(Found(value: v, start: i, end: end + 1))
                    i = end + 1
                    continue
                }
                // Not an array of plain objects: its objects are read one by one.
                i += 1
                continue
            }
            guard b[i] == UInt8(ascii: "{"), startsObject(b, i), let end = matchingClose(b, i) else { i += 1; continue }
            attempts += 1
            let candidate = String(decoding: b[i...end], as: UTF8.self)
            if let v = parse(candidate), v.object != nil {
                out.append(Found(value: v, start: i, end: end + 1))
                i = end + 1
            } else {
                i += 1
            }
        }
        return out
    }

    /// `{` followed by a quote, a key, or `}`: not a brace in prose or code.
    static func startsObject(_ b: [UInt8], _ i: Int) -> Bool {
        var j = i + 1
        while j < b.count, b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x09 { j += 1 }
        guard j < b.count else { return false }
        let c = b[j]
        if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "}") { return true }
        // `{ error: {` (inspect): an identifier then a colon.
        var k = j
        while k < b.count, (b[k] >= 0x61 && b[k] <= 0x7A) || (b[k] >= 0x41 && b[k] <= 0x5A) || b[k] == UInt8(ascii: "_") { k += 1 }
        return k > j && k < b.count && b[k] == UInt8(ascii: ":")
    }

    /// `[` followed by an object start: a top-level array of objects (`[{"id":"a"},…]`).
    static func startsArrayOfObjects(_ b: [UInt8], _ i: Int) -> Bool {
        var j = i + 1
        while j < b.count, b[j] == 0x20 || b[j] == 0x0A || b[j] == 0x0D || b[j] == 0x09 { j += 1 }
        return j < b.count && b[j] == UInt8(ascii: "{") && startsObject(b, j)
    }

    /// A JSON array whose elements are all objects and none an error body (an array of
    /// errors, as Gemini streams them, is read element by element so each error counts).
    static func parseArray(_ s: String) -> JSONValue? {
        guard let v = JSONValue.parse(s) ?? JSONValue.parse(foldBreaksInStrings(s)) ?? dropTrailingCommas(s).flatMap(JSONValue.parse),
              let arr = v.array, !arr.isEmpty,
              arr.allSatisfy({ $0.object != nil }), !arr.contains(where: { ResponseBody.apiError(from: $0) != nil }) else { return nil }
        return v
    }

    /// Objects larger than this are not looked for (a pasted body is far smaller).
    static let maxObjectBytes = 256 * 1024

    /// Index of the brace closing the one at `i`, skipping quoted strings.
    static func matchingClose(_ b: [UInt8], _ i: Int) -> Int? {
        var depth = 0
        var quote: UInt8 = 0
        var escaped = false
        var j = i
        let limit = min(b.count, i + maxObjectBytes)
        while j < limit {
            let c = b[j]
            if quote != 0 {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == quote { quote = 0 }
            } else if c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") {
                quote = c
            } else if c == UInt8(ascii: "{") || c == UInt8(ascii: "[") {
                depth += 1
            } else if c == UInt8(ascii: "}") || c == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return j }
            }
            j += 1
        }
        return nil
    }

    /// JSON, then JSON with pasted line breaks folded, then a Python repr, then Node inspect.
    static func parse(_ s: String) -> JSONValue? {
        if let v = JSONValue.parse(s) { return v }
        let folded = foldBreaksInStrings(s)
        if folded != s, let v = JSONValue.parse(folded) { return v }
        if s.contains("'"), let v = PythonLiteral.parse(folded), v.object != nil { return v }
        if let v = NodeInspect.parse(s), v.object != nil, !s.hasPrefix("{\"") { return v }
        // A config pasted from a JavaScript or JSON5 file: `["a", "b",]`.
        if let t = dropTrailingCommas(folded), let v = JSONValue.parse(t) { return v }
        return nil
    }

    /// The text without commas that stand right before a closing bracket or brace (outside
    /// strings), or nil when it has none.
    static func dropTrailingCommas(_ s: String) -> String? {
        let b = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(b.count)
        var inString = false, escaped = false, dropped = false
        var i = 0
        while i < b.count {
            let c = b[i]
            if inString {
                if escaped { escaped = false } else if c == 0x5C { escaped = true } else if c == 0x22 { inString = false }
                out.append(c); i += 1; continue
            }
            if c == 0x22 { inString = true }
            if c == UInt8(ascii: ",") {
                var j = i + 1
                while j < b.count, b[j] == 0x20 || b[j] == 0x09 || b[j] == 0x0A || b[j] == 0x0D { j += 1 }
                if j < b.count, b[j] == UInt8(ascii: "]") || b[j] == UInt8(ascii: "}") { dropped = true; i += 1; continue }
            }
            out.append(c); i += 1
        }
        return dropped ? String(decoding: out, as: UTF8.self) : nil
    }

    /// Replaces raw line breaks inside double-quoted strings (and the indentation after them)
    /// with one space: what a pasted, re-wrapped JSON body needs to parse again.
    static func foldBreaksInStrings(_ s: String) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var inString = false
        var escaped = false
        var skippingIndent = false
        for c in s.utf8 {
            if skippingIndent {
                if c == 0x20 || c == 0x09 { continue }
                skippingIndent = false
            }
            if inString {
                if escaped { escaped = false; out.append(c); continue }
                if c == 0x5C { escaped = true; out.append(c); continue }
                if c == UInt8(ascii: "\"") { inString = false }
                if c == 0x0A || c == 0x0D {
                    if out.last != 0x20 { out.append(0x20) }
                    skippingIndent = true
                    continue
                }
                out.append(c)
            } else {
                if c == UInt8(ascii: "\"") { inString = true }
                out.append(c)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The API error of a found object, also when its message is itself a (JSON or Python)
    /// error body, e.g. `{"error":{"message":"{'error': '…'}"}}`.
    static func apiError(_ v: JSONValue) -> APIError? {
        guard var e = ResponseBody.apiError(from: v) else { return nil }
        if let m = e.message, m.hasPrefix("{"), let inner = parse(m), let innerErr = ResponseBody.apiError(from: inner),
           let im = innerErr.message {
            e.message = im
            if e.code == nil { e.code = innerErr.code }
            if e.type == nil { e.type = innerErr.type }
        }
        return e
    }

    /// Facts of an error body too broken to parse (cut mid-string, escaped twice by the
    /// paste): the innermost `message`, and `code`, `type`, `status` read by pattern after
    /// undoing up to three layers of `\"` escaping.
    static func looseError(in text: String) -> (APIError, status: Int?, statusText: String?)? {
        var s = text
        for _ in 0..<3 where s.contains("\\\"") || s.contains("\\n") {
            s = s.replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\n", with: "\n")
        }
        func all(_ re: NSRegularExpression) -> [String] {
            let ns = s as NSString
            return re.matches(in: s, range: NSRange(location: 0, length: ns.length)).compactMap { m in
                m.range(at: 1).location == NSNotFound ? nil : ns.substring(with: m.range(at: 1))
            }
        }
        let messages = all(LooseErrorPatterns.message).map { $0.replacingOccurrences(of: "\n", with: " ") }
        guard let message = messages.filter({ !$0.hasPrefix("{") }).max(by: { $0.count < $1.count }) else { return nil }
        let code = all(LooseErrorPatterns.code).first
        let type = all(LooseErrorPatterns.type).first
        let statusWord = all(LooseErrorPatterns.status).last
        var status: Int?
        for c in all(LooseErrorPatterns.numericCode) { if let n = Int(c), (100..<600).contains(n) { status = n; break } }
        let err = APIError(type: type, code: code, message: message.trimmingCharacters(in: .whitespaces))
        return (err, status, statusWord.flatMap { Int($0) == nil ? $0 : nil })
    }
}

extension ErrorTextJSON {
    /// The longest quoted string of a text that reads as a sentence (three words or more).
    static func longestQuotedSentence(_ text: String) -> String? {
        let ns = text as NSString
        return LooseErrorPatterns.quoted.matches(in: text, range: NSRange(location: 0, length: ns.length))
            .map { ns.substring(with: $0.range(at: 1)) }
            .filter { $0.split(separator: " ").count >= 3 }
            .max { $0.count < $1.count }
    }
}

/// The patterns of `looseError`, compiled once.
enum LooseErrorPatterns {
    static let message = try! NSRegularExpression(pattern: #"["']message["']\s*:\s*["']((?:[^"'\\]|\\.)+)"#)
    static let code = try! NSRegularExpression(pattern: #"["']code["']\s*:\s*["']?([\w.\-]+)"#)
    static let type = try! NSRegularExpression(pattern: #"["']type["']\s*:\s*["']([^"']+)["']"#)
    static let status = try! NSRegularExpression(pattern: #"["']status["']\s*:\s*["']?([^"',}]+)"#)
    static let numericCode = try! NSRegularExpression(pattern: #"["']code["']\s*:\s*["']?(\d{3})\b"#)
    static let quoted = try! NSRegularExpression(pattern: #""((?:[^"\\\n]|\\.){12,})""#)
}
