import DoctorIngest
import DoctorModel

/// Reads Python literal reprs (what `repr()` / `%s` print for dicts, lists and tuples) into
/// `JSONValue`.
///
/// openai-python logs request options, response headers and error bodies as Python reprs:
/// single- or double-quoted strings with backslash escapes (`\n`, `\xe5`, `\u4f60`), `None`,
/// `True`, `False`, tuples, bytes (`b'nginx'`) and opaque objects such as
/// `<function SyncAPIClient._request_api_list.<locals>._parser at 0x7f…>` or
/// `Timeout(connect=5.0, read=600)`. JSON is accepted too (`null`, `true`, `false`), since
/// some apps log the JSON text instead.
///
/// Mapping: dict → object (non-string keys become their text), list/tuple/set → array,
/// str/bytes → string (bytes decoded as UTF-8), numbers → number, opaque objects and bare
/// names → their source text as a string.
///
/// With `allowTruncated`, input cut off mid-value (a log line cut by the line limit or a
/// ticket pasted half) yields what was read so far, with open containers closed.
public enum PythonLiteral {
    /// Parses one literal that fills `text` (surrounding whitespace allowed).
    /// - Complexity: O(n) in the UTF-8 length.
    public static func parse(_ text: some StringProtocol, allowTruncated: Bool = false) -> JSONValue? {
        func run(_ buf: UnsafeBufferPointer<UInt8>) -> JSONValue? {
            var p = Reader(buf: buf, allowTruncated: allowTruncated)
            p.skipSpace()
            guard let v = p.value(depth: 0) else { return nil }
            p.skipSpace()
            return p.pos == p.buf.count || p.truncated ? v : nil
        }
        if let v = text.utf8.withContiguousStorageIfAvailable(run) { return v }
        return Array(text.utf8).withUnsafeBufferPointer(run)
    }

    /// Parses the literal at the start of `text` and returns it with the rest of the text
    /// after it (for `{…} trailing words`); nil when no literal starts there.
    public static func parsePrefix(_ text: some StringProtocol) -> (value: JSONValue, rest: Substring)? {
        let s = String(text)
        var bytes = Array(s.utf8)
        let result: (JSONValue, Int)? = bytes.withUnsafeMutableBufferPointer { buf in
            var p = Reader(buf: UnsafeBufferPointer(buf), allowTruncated: false)
            p.skipSpace()
            guard let v = p.value(depth: 0) else { return nil }
            return (v, p.pos)
        }
        guard let (v, end) = result else { return nil }
        let idx = s.utf8.index(s.utf8.startIndex, offsetBy: end)
        return (v, s[idx...])
    }

    /// The key/value pairs of a dict repr or of a list of 2-tuples, in their written order
    /// (`Headers({...})` and `Headers([(...), ...])` both come here). Values that are not
    /// strings are given as their text.
    public static func pairs(_ text: some StringProtocol) -> [(String, String)]? {
        // Read in place when the text is contiguous (a slice of a line), else from a copy.
        func run(_ buf: UnsafeBufferPointer<UInt8>) -> [(String, String)]? {
            var p = Reader(buf: buf, allowTruncated: true)
            p.skipSpace()
            if p.peek == UInt8(ascii: "{") { return p.dictPairs() }
            guard let v = p.value(depth: 0), let items = v.array else { return nil }
            return items.compactMap { item in
                guard let kv = item.array, kv.count == 2, let k = kv[0].string else { return nil }
                return (k, kv[1].string ?? kv[1].jsonText)
            }
        }
        if let r = text.utf8.withContiguousStorageIfAvailable(run) { return r }
        return Array(text.utf8).withUnsafeBufferPointer(run)
    }

    /// Bracket depth after `text`, counting `{[(` / `)]}` outside string literals and `<…>`
    /// objects; 0 when every bracket opened was closed. Used to buffer a repr that spans lines.
    /// `inString` carries an open string's quote byte from one line to the next.
    public static func depthChange(_ text: some StringProtocol, inString: inout UInt8) -> Int {
        // On the bytes in place (every `Request options` repr of a dense log comes here
        // whole): a loop over `utf8` checked its index at every byte.
        if let d = text.utf8.withContiguousStorageIfAvailable({ depthChange(bytes: $0, inString: &inString) }) { return d }
        return Array(text.utf8).withUnsafeBufferPointer { depthChange(bytes: $0, inString: &inString) }
    }

    private static func depthChange(bytes: UnsafeBufferPointer<UInt8>, inString: inout UInt8) -> Int {
        var depth = 0
        var escaped = false
        var quote = inString
        for b in bytes {
            if quote != 0 {
                if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == quote { quote = 0 }
                continue
            }
            switch b {
            case UInt8(ascii: "'"), UInt8(ascii: "\""): quote = b
            case UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "("): depth += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"), UInt8(ascii: ")"): depth -= 1
            default: break
            }
        }
        inString = quote
        return depth
    }
}

/// The recursive-descent reader over UTF-8 bytes behind `PythonLiteral`.
private struct Reader {
    let buf: UnsafeBufferPointer<UInt8>
    let allowTruncated: Bool
    var pos = 0
    /// Set when the input ended inside a value and `allowTruncated` let it through.
    var truncated = false

    init(buf: UnsafeBufferPointer<UInt8>, allowTruncated: Bool) {
        self.buf = buf
        self.allowTruncated = allowTruncated
    }

    static let maxDepth = 200

    var atEnd: Bool { pos >= buf.count }
    var peek: UInt8 { pos < buf.count ? buf[pos] : 0 }

    mutating func skipSpace() {
        while pos < buf.count, buf[pos] == 0x20 || buf[pos] == 0x0A || buf[pos] == 0x09 || buf[pos] == 0x0D { pos += 1 }
    }

    /// End of input inside a value: fine when truncation is allowed.
    mutating func endedEarly() -> Bool {
        if allowTruncated { truncated = true; return true }
        return false
    }

    mutating func value(depth: Int) -> JSONValue? {
        guard depth < Reader.maxDepth else { return nil }
        skipSpace()
        guard !atEnd else { _ = endedEarly(); return nil }
        let c = peek
        switch c {
        case UInt8(ascii: "{"): return dict(depth: depth)
        case UInt8(ascii: "["): return sequence(close: UInt8(ascii: "]"), depth: depth)
        case UInt8(ascii: "("): return sequence(close: UInt8(ascii: ")"), depth: depth)
        case UInt8(ascii: "'"), UInt8(ascii: "\""): return strings(bytesLiteral: false)
        case UInt8(ascii: "<"): return opaque()
        case UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        default:
            if isNameStart(c) { return name(depth: depth) }
            return nil
        }
    }

    mutating func dict(depth: Int) -> JSONValue? {
        pos += 1
        var obj: [String: JSONValue] = [:]
        var setItems: [JSONValue]?
        while true {
            skipSpace()
            if atEnd { return endedEarly() ? finish(obj, setItems) : nil }
            if peek == UInt8(ascii: "}") { pos += 1; return finish(obj, setItems) }
            guard let key = value(depth: depth + 1) else { return truncated ? finish(obj, setItems) : nil }
            skipSpace()
            if atEnd { return endedEarly() ? finish(obj, setItems) : nil }
            if peek == UInt8(ascii: ":") && setItems == nil {
                pos += 1
                guard let v = value(depth: depth + 1) else {
                    if truncated { obj[keyText(key)] = .null; return .object(obj) }
                    return nil
                }
                obj[keyText(key)] = v
            } else if obj.isEmpty {
                // A set literal: {1, 2}
                setItems = (setItems ?? []) + [key]
            } else {
                return nil
            }
            if truncated { return finish(obj, setItems) }
            skipSpace()
            if atEnd { return endedEarly() ? finish(obj, setItems) : nil }
            if peek == UInt8(ascii: ",") { pos += 1; continue }
            if peek == UInt8(ascii: "}") { pos += 1; return finish(obj, setItems) }
            return nil
        }
    }

    /// A dict's entries in order (a Swift dictionary would lose it).
    mutating func dictPairs() -> [(String, String)] {
        pos += 1
        var out: [(String, String)] = []
        while true {
            skipSpace()
            if atEnd || peek == UInt8(ascii: "}") { return out }
            guard let k = value(depth: 1) else { return out }
            skipSpace()
            guard peek == UInt8(ascii: ":") else { return out }
            pos += 1
            guard let v = value(depth: 1) else { return out }
            out.append((keyText(k), v.string ?? (v.isNull ? "None" : v.jsonText)))
            skipSpace()
            guard peek == UInt8(ascii: ",") else { return out }
            pos += 1
        }
    }

    func finish(_ obj: [String: JSONValue], _ set: [JSONValue]?) -> JSONValue {
        if let set { return .array(set) }
        return .object(obj)
    }

    func keyText(_ v: JSONValue) -> String {
        switch v {
        case .string(let s): return s
        case .null: return "None"
        default: return v.string ?? v.jsonText
        }
    }

    mutating func sequence(close: UInt8, depth: Int) -> JSONValue? {
        pos += 1
        var items: [JSONValue] = []
        while true {
            skipSpace()
            if atEnd { return endedEarly() ? .array(items) : nil }
            if peek == close { pos += 1; return .array(items) }
            guard let v = value(depth: depth + 1) else { return truncated ? .array(items) : nil }
            items.append(v)
            if truncated { return .array(items) }
            skipSpace()
            if atEnd { return endedEarly() ? .array(items) : nil }
            if peek == UInt8(ascii: ",") { pos += 1; continue }
            if peek == close { pos += 1; return .array(items) }
            return nil
        }
    }

    /// One string literal or several adjacent ones (`'a' 'b'` concatenate in Python).
    mutating func strings(bytesLiteral: Bool, raw: Bool = false) -> JSONValue? {
        if let s = plainString() { return .string(s) }
        var out: [UInt8] = []
        guard readString(into: &out, bytesLiteral: bytesLiteral, raw: raw) else { return nil }
        while !truncated {
            let save = pos
            skipSpace()
            if peek == UInt8(ascii: "'") || peek == UInt8(ascii: "\"") {
                guard readString(into: &out, bytesLiteral: bytesLiteral, raw: raw) else { return nil }
            } else {
                pos = save
                break
            }
        }
        return .string(String(decoding: out, as: UTF8.self))
    }

    /// The common case of `strings`: one single-quoted literal without escapes, not followed
    /// by another literal, taken straight from the buffer. Nil (and `pos` unchanged) otherwise.
    mutating func plainString() -> String? {
        let q = peek
        let start = pos + 1
        guard start < buf.count, buf[start] != q || start + 1 >= buf.count || buf[start + 1] != q else { return nil }
        var i = start
        while i < buf.count {
            let b = buf[i]
            if b == q { break }
            if b == UInt8(ascii: "\\") { return nil }
            i += 1
        }
        guard i < buf.count else { return nil }
        // Adjacent literals concatenate: leave those to the general reader.
        var j = i + 1
        while j < buf.count, buf[j] == 0x20 || buf[j] == 0x0A || buf[j] == 0x09 || buf[j] == 0x0D { j += 1 }
        if j < buf.count && (buf[j] == UInt8(ascii: "'") || buf[j] == UInt8(ascii: "\"")) { return nil }
        pos = i + 1
        return text(start, i)
    }

    /// Reads one quoted literal at `pos` (any of `'`, `"`, `'''`, `"""`) and appends its
    /// decoded UTF-8 to `out`.
    mutating func readString(into out: inout [UInt8], bytesLiteral: Bool, raw: Bool) -> Bool {
        let q = peek
        var triple = false
        if pos + 2 < buf.count && buf[pos + 1] == q && buf[pos + 2] == q { triple = true; pos += 3 } else { pos += 1 }
        while true {
            guard pos < buf.count else { return endedEarly() }
            let b = buf[pos]
            if b == q {
                if !triple { pos += 1; return true }
                if pos + 2 < buf.count && buf[pos + 1] == q && buf[pos + 2] == q { pos += 3; return true }
                out.append(b); pos += 1; continue
            }
            if b == UInt8(ascii: "\\") && !raw {
                guard pos + 1 < buf.count else { pos += 1; return endedEarly() }
                pos += 1
                escape(into: &out, bytesLiteral: bytesLiteral)
                continue
            }
            out.append(b)
            pos += 1
        }
    }

    /// Decodes the escape after a backslash (`pos` at the character after it).
    mutating func escape(into out: inout [UInt8], bytesLiteral: Bool) {
        let e = buf[pos]
        pos += 1
        switch e {
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            var v = UInt32(e - UInt8(ascii: "0"))
            var n = 1
            while n < 3, pos < buf.count, (UInt8(ascii: "0")...UInt8(ascii: "7")).contains(buf[pos]) {
                v = v * 8 + UInt32(buf[pos] - UInt8(ascii: "0")); pos += 1; n += 1
            }
            appendScalar(v, into: &out, asByte: bytesLiteral)
        case UInt8(ascii: "x"): hexEscape(digits: 2, into: &out, asByte: bytesLiteral, marker: e)
        case UInt8(ascii: "u") where !bytesLiteral: hexEscape(digits: 4, into: &out, asByte: false, marker: e)
        case UInt8(ascii: "U") where !bytesLiteral: hexEscape(digits: 8, into: &out, asByte: false, marker: e)
        case UInt8(ascii: "a"): out.append(0x07)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "v"): out.append(0x0B)
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""): out.append(e)
        case 0x0A: break  // line continuation
        default: out.append(UInt8(ascii: "\\")); out.append(e)  // unknown escapes stay as written
        }
    }

    mutating func hexEscape(digits: Int, into out: inout [UInt8], asByte: Bool, marker: UInt8) {
        var v: UInt32 = 0
        var n = 0
        while n < digits, pos < buf.count, let d = hexValue(buf[pos]) { v = v * 16 + d; pos += 1; n += 1 }
        guard n == digits else {
            out.append(UInt8(ascii: "\\")); out.append(marker)
            return
        }
        appendScalar(v, into: &out, asByte: asByte)
    }

    /// In a bytes literal `\xe5` is one raw byte (the bytes are decoded as UTF-8 at the end);
    /// in a str literal it is the code point U+00E5.
    func appendScalar(_ v: UInt32, into out: inout [UInt8], asByte: Bool) {
        if asByte && v < 256 { out.append(UInt8(v)); return }
        let scalar = Unicode.Scalar(v) ?? "\u{FFFD}"
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(b - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    /// `<function f.<locals>.g at 0x7f…>`: kept as its text; nested `<…>` are balanced.
    mutating func opaque() -> JSONValue? {
        let start = pos
        var depth = 0
        while pos < buf.count {
            let b = buf[pos]
            pos += 1
            if b == UInt8(ascii: "<") { depth += 1 } else if b == UInt8(ascii: ">") {
                depth -= 1
                if depth == 0 { return .string(text(start, pos)) }
            }
        }
        return endedEarly() ? .string(text(start, pos)) : nil
    }

    mutating func number() -> JSONValue? {
        let start = pos
        if peek == UInt8(ascii: "-") || peek == UInt8(ascii: "+") { pos += 1 }
        while pos < buf.count {
            let b = buf[pos]
            let isNum = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: ".") || b == UInt8(ascii: "_")
                || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
                || ((b == UInt8(ascii: "-") || b == UInt8(ascii: "+")) && pos > start && (buf[pos - 1] | 0x20) == UInt8(ascii: "e"))
            guard isNum else { break }
            pos += 1
        }
        var t = text(start, pos)
        if t.utf8.contains(UInt8(ascii: "_")) { t.removeAll { $0 == "_" } }
        if let d = Double(t) { return .number(d) }
        // inf / nan after a sign, or hex ints: keep the text.
        if pos < buf.count && isNameStart(buf[pos]) {
            while pos < buf.count && isNameChar(buf[pos]) { pos += 1 }
            return .string(text(start, pos))
        }
        return pos > start ? .string(t) : nil
    }

    /// A bare name: `None`/`True`/`False` (and JSON's spellings), a string prefix (`b'…'`,
    /// `r'…'`, `u'…'`), or an object repr such as `Timeout(connect=5.0)` kept as text.
    mutating func name(depth: Int) -> JSONValue? {
        let start = pos
        while pos < buf.count && (isNameChar(buf[pos]) || buf[pos] == UInt8(ascii: ".")) { pos += 1 }
        let word = text(start, pos)
        if pos < buf.count && (buf[pos] == UInt8(ascii: "'") || buf[pos] == UInt8(ascii: "\"")) && word.count <= 2 {
            let lower = word.lowercased()
            if ["b", "r", "u", "br", "rb", "f"].contains(lower) {
                return strings(bytesLiteral: lower.utf8.contains(UInt8(ascii: "b")), raw: lower.utf8.contains(UInt8(ascii: "r")))
            }
        }
        switch word {
        case "None", "null": return .null
        case "True", "true": return .bool(true)
        case "False", "false": return .bool(false)
        case "inf", "nan", "Infinity", "NaN": return .string(word)
        default: break
        }
        if pos < buf.count && buf[pos] == UInt8(ascii: "(") {
            // A call-shaped repr: skip its balanced arguments, keep the whole text.
            var d = 0
            var quote: UInt8 = 0
            var escaped = false
            while pos < buf.count {
                let b = buf[pos]
                pos += 1
                if quote != 0 {
                    if escaped { escaped = false } else if b == UInt8(ascii: "\\") { escaped = true } else if b == quote { quote = 0 }
                    continue
                }
                if b == UInt8(ascii: "'") || b == UInt8(ascii: "\"") { quote = b } else if b == UInt8(ascii: "(") { d += 1 } else if b == UInt8(ascii: ")") {
                    d -= 1
                    if d == 0 { return .string(text(start, pos)) }
                }
            }
            return endedEarly() ? .string(text(start, pos)) : nil
        }
        return .string(word)
    }

    func isNameStart(_ b: UInt8) -> Bool {
        (b | 0x20) >= UInt8(ascii: "a") && (b | 0x20) <= UInt8(ascii: "z") || b == UInt8(ascii: "_") || b >= 0x80
    }

    func isNameChar(_ b: UInt8) -> Bool {
        isNameStart(b) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b)
    }

    func text(_ a: Int, _ b: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: buf[a..<min(b, buf.count)]), as: UTF8.self)
    }
}
