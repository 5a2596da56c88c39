import DoctorIngest
import DoctorModel
import Foundation

/// Reads Node's `util.inspect` object dumps (what `console.log(obj)` prints) into `JSONValue`.
///
/// openai-node's debug records and the error objects apps print are not JSON: keys are bare,
/// strings are single-quoted (double-quoted or back-ticked when they contain quotes), long
/// strings are split into `'…' +` continuation lines, nested values are cut to `[Object]` /
/// `[Array]`, class instances carry a name prefix (`Headers {…}`, `Map(2) {…}`), functions
/// print as `[Function: x]`, cycles as `<ref *1>` / `[Circular *1]`, and `undefined` is a value.
///
/// The reader is tolerant: the cut-off markers and other non-data tokens become strings that
/// keep their printed form (`"[Object]"`, `"[Function: iterator]"`), so callers can tell a cut
/// value from a real one with `isPlaceholder`. `Map` becomes an object, `Set` an array,
/// `undefined` and `null` become `.null`, numbers `.number`, and any other bare token (dates,
/// `Symbol(x)`) its text.
public enum NodeInspect {
    /// Parses one dump; nil when the text does not start with a readable value.
    /// - Complexity: O(n) in the text's UTF-8 length.
    public static func parse(_ text: String) -> JSONValue? {
        var r = Reader(Array(text.utf8))
        r.skipSpace()
        return r.value()
    }

    /// Parses the space-separated arguments of one `console.log` call, e.g.
    /// `200 https://host/v1/models Headers { … } undefined`. Stops at the first unreadable token.
    public static func parseValues(_ text: String) -> [JSONValue] {
        var r = Reader(Array(text.utf8))
        var out: [JSONValue] = []
        while true {
            r.skipSpace()
            if r.atEnd { break }
            let start = r.pos
            guard let v = r.value(topLevel: true), r.pos > start else { break }
            out.append(v)
        }
        return out
    }

    /// True for the printed stand-ins of values inspect did not expand: `[Object]`, `[Array]`,
    /// `[Function …]`, `[Circular *1]`, `[Getter]` …
    public static func isPlaceholder(_ v: JSONValue) -> Bool {
        guard case .string(let s) = v, s.hasPrefix("["), s.hasSuffix("]"), s.count > 2 else { return false }
        let second = s[s.index(after: s.startIndex)]
        return second.isLetter
    }

    /// True when any nested value of `v` is a placeholder (the dump was cut by depth).
    public static func containsPlaceholder(_ v: JSONValue) -> Bool {
        switch v {
        case .string: return isPlaceholder(v)
        case .array(let a): return a.contains(where: containsPlaceholder)
        case .object(let o): return o.values.contains(where: containsPlaceholder)
        default: return false
        }
    }
}

/// The byte-level recursive-descent reader behind `NodeInspect`.
private struct Reader {
    let b: [UInt8]
    var pos = 0
    var depth = 0

    init(_ bytes: [UInt8]) { b = bytes }

    var atEnd: Bool { pos >= b.count }
    func peek(_ off: Int = 0) -> UInt8? { pos + off < b.count ? b[pos + off] : nil }

    mutating func skipSpace() {
        while pos < b.count, b[pos] == 0x20 || b[pos] == 0x0A || b[pos] == 0x0D || b[pos] == 0x09 { pos += 1 }
    }

    static func isIdent(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F || c == 0x24 || c >= 0x80
    }

    /// One value. `topLevel` stops bare tokens at a space (console.log argument lists).
    mutating func value(topLevel: Bool = false) -> JSONValue? {
        guard depth < 200 else { return nil }
        skipSpace()
        guard let c = peek() else { return nil }
        switch c {
        case UInt8(ascii: "{"): return object()
        case UInt8(ascii: "["):
            if let n = peek(1), n != 0x20, n != 0x5D, n != 0x0A, Self.isIdent(n) {
                let tag = bracketTag()
                skipSpace()
                if peek() == UInt8(ascii: "{") || (peek() == UInt8(ascii: "[") && peek(1) == 0x20) { return value() }
                return tag
            }
            return array()
        case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"): return concatenatedString()
        case UInt8(ascii: "<"):
            // `<ref *1>` before a value; `<3 empty items>` inside arrays is handled by array().
            while let ch = peek(), ch != UInt8(ascii: ">") { pos += 1 }
            pos += 1
            return value(topLevel: topLevel)
        default:
            return bare(topLevel: topLevel)
        }
    }

    /// `[Object]`, `[Function: name]` … kept as their printed text.
    mutating func bracketTag() -> JSONValue {
        let start = pos
        var level = 0
        while let ch = peek() {
            pos += 1
            if ch == UInt8(ascii: "[") { level += 1 }
            if ch == UInt8(ascii: "]") { level -= 1; if level == 0 { break } }
            if ch == 0x0A { break }
        }
        return .string(String(decoding: b[start..<pos], as: UTF8.self))
    }

    mutating func object() -> JSONValue? {
        pos += 1  // {
        depth += 1
        defer { depth -= 1 }
        var dict: [String: JSONValue] = [:]
        var setItems: [JSONValue] = []
        while true {
            skipSpace()
            guard let c = peek() else { return dict.isEmpty && !setItems.isEmpty ? .array(setItems) : .object(dict) }
            if c == UInt8(ascii: "}") { pos += 1; break }
            if c == UInt8(ascii: ",") { pos += 1; continue }
            if c == UInt8(ascii: "."), peek(1) == UInt8(ascii: "."), peek(2) == UInt8(ascii: ".") {
                skipRestOfLine(); continue  // `... 12 more items`
            }
            let save = pos
            let key = key()
            skipSpace()
            if let key, peek() == UInt8(ascii: ":") {
                pos += 1
                guard let v = value() else { return nil }
                dict[key] = v
            } else if let key, peek() == UInt8(ascii: "="), peek(1) == UInt8(ascii: ">") {
                pos += 2
                guard let v = value() else { return nil }
                dict[key] = v
            } else {
                // A Set element (or a getter-less value): re-read it as a value.
                pos = save
                guard let v = value() else { return nil }
                setItems.append(v)
            }
        }
        if dict.isEmpty && !setItems.isEmpty { return .array(setItems) }
        return .object(dict)
    }

    mutating func key() -> String? {
        guard let c = peek() else { return nil }
        if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "`") {
            if case .string(let s)? = quoted() { return s }
            return nil
        }
        if c == UInt8(ascii: "[") {  // [Symbol(foo)]
            if case .string(let s) = bracketTag() { return s }
        }
        let start = pos
        while let ch = peek(), Self.isIdent(ch) || ch == UInt8(ascii: "-") || ch == UInt8(ascii: ".") { pos += 1 }
        return pos > start ? String(decoding: b[start..<pos], as: UTF8.self) : nil
    }

    mutating func array() -> JSONValue? {
        pos += 1  // [
        depth += 1
        defer { depth -= 1 }
        var items: [JSONValue] = []
        while true {
            skipSpace()
            guard let c = peek() else { return .array(items) }
            if c == UInt8(ascii: "]") { pos += 1; break }
            if c == UInt8(ascii: ",") { pos += 1; continue }
            if c == UInt8(ascii: "<") {  // `<2 empty items>`
                while let ch = peek(), ch != UInt8(ascii: ">") { pos += 1 }
                pos += 1; continue
            }
            if c == UInt8(ascii: "."), peek(1) == UInt8(ascii: "."), peek(2) == UInt8(ascii: ".") {
                skipRestOfLine(); continue
            }
            let save = pos
            // `[ 'a', key: 'extra' ]`: arrays may carry named properties; keep the values only.
            if Self.isIdent(c), key() != nil {
                skipSpace()
                if peek() == UInt8(ascii: ":") { pos += 1 } else { pos = save }
            } else {
                pos = save
            }
            guard let v = value() else { return nil }
            items.append(v)
        }
        return .array(items)
    }

    /// After spaces, another word follows (not a delimiter): a multi-word bare value.
    func continuesWithWord() -> Bool {
        var p = pos
        while p < b.count, b[p] == 0x20 { p += 1 }
        guard p < b.count else { return false }
        let c = b[p]
        return !(c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == 0x0A || c == 0x0D)
    }

    mutating func skipRestOfLine() {
        while let ch = peek(), ch != 0x0A, ch != UInt8(ascii: ",") { pos += 1 }
    }

    /// A quoted string, then any `+ 'more'` continuations.
    mutating func concatenatedString() -> JSONValue? {
        guard case .string(var s)? = quoted() else { return nil }
        while true {
            let save = pos
            skipSpace()
            guard peek() == UInt8(ascii: "+") else { pos = save; break }
            pos += 1
            skipSpace()
            guard let q = peek(), q == UInt8(ascii: "'") || q == UInt8(ascii: "\"") || q == UInt8(ascii: "`"),
                  case .string(let more)? = quoted() else { pos = save; break }
            s += more
        }
        return .string(s)
    }

    mutating func quoted() -> JSONValue? {
        let q = b[pos]
        pos += 1
        var out: [UInt8] = []
        while let c = peek() {
            pos += 1
            if c == q { return .string(String(decoding: out, as: UTF8.self)) }
            if c == UInt8(ascii: "\\"), let e = peek() {
                pos += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "v"): out.append(0x0B)
                case UInt8(ascii: "0"): out.append(0)
                case UInt8(ascii: "x"): appendHex(2, into: &out)
                case UInt8(ascii: "u"): appendHex(4, into: &out)
                default: out.append(e)
                }
                continue
            }
            out.append(c)
        }
        return .string(String(decoding: out, as: UTF8.self))  // unterminated: keep what there is
    }

    mutating func appendHex(_ n: Int, into out: inout [UInt8]) {
        var braces = false
        if n == 4, peek() == UInt8(ascii: "{") { braces = true; pos += 1 }
        var v: UInt32 = 0
        var read = 0
        while let c = peek(), let d = hexDigit(c), braces || read < n {
            v = v * 16 + d; pos += 1; read += 1
        }
        if braces, peek() == UInt8(ascii: "}") { pos += 1 }
        var scalarValue = v
        // A surrogate pair written as two \u escapes.
        if v >= 0xD800 && v < 0xDC00, peek() == UInt8(ascii: "\\"), peek(1) == UInt8(ascii: "u") {
            let save = pos
            pos += 2
            var lo: UInt32 = 0
            var k = 0
            while k < 4, let c = peek(), let d = hexDigit(c) { lo = lo * 16 + d; pos += 1; k += 1 }
            if k == 4 && lo >= 0xDC00 && lo < 0xE000 { scalarValue = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00) } else { pos = save }
        }
        let scalar = Unicode.Scalar(scalarValue) ?? "\u{FFFD}"
        out.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    func hexDigit(_ c: UInt8) -> UInt32? {
        switch c {
        case 0x30...0x39: return UInt32(c - 0x30)
        case 0x41...0x46: return UInt32(c - 0x41 + 10)
        case 0x61...0x66: return UInt32(c - 0x61 + 10)
        default: return nil
        }
    }

    /// Numbers, keywords, class-name prefixes (`Headers {`), `Map(2) {`, and any other token.
    mutating func bare(topLevel: Bool) -> JSONValue? {
        let start = pos
        while let c = peek() {
            if c == UInt8(ascii: ",") || c == UInt8(ascii: "}") || c == UInt8(ascii: "]") || c == 0x0A || c == 0x0D { break }
            if c == 0x20 || c == UInt8(ascii: "{") || c == UInt8(ascii: "[") { break }
            if c == UInt8(ascii: "(") {
                // `Map(2)`, `Symbol(foo)`, `Set(0)`: read through the closing parenthesis.
                while let ch = peek(), ch != UInt8(ascii: ")"), ch != 0x0A { pos += 1 }
                if peek() == UInt8(ascii: ")") { pos += 1 }
                continue
            }
            pos += 1
        }
        let token = String(decoding: b[start..<pos], as: UTF8.self)
        // A class-name prefix: `Headers {`, `Stream {`, `Map(1) {`, `Array(3) [`.
        let save = pos
        var spaces = 0
        while peek() == 0x20 { pos += 1; spaces += 1 }
        if spaces <= 1, let c = peek(), c == UInt8(ascii: "{") || (c == UInt8(ascii: "[") && peek(1) == 0x20),
           let first = token.unicodeScalars.first, first.properties.isUppercase || token.hasPrefix("[") {
            return value()
        }
        pos = save
        if token.isEmpty {
            guard !topLevel, let c = peek(), c != UInt8(ascii: "}"), c != UInt8(ascii: "]") else { return nil }
            return nil
        }
        // Top-level console.log arguments are separated by spaces, but a bare multi-word
        // message (`Error: x y`) inside an object runs to the next delimiter.
        if !topLevel, peek() == 0x20, continuesWithWord() {
            while let c = peek(), c != UInt8(ascii: ","), c != 0x0A, c != UInt8(ascii: "}"), c != UInt8(ascii: "]") { pos += 1 }
            let longer = String(decoding: b[start..<pos], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            return .string(longer)
        }
        switch token {
        case "undefined", "null": return .null
        case "true": return .bool(true)
        case "false": return .bool(false)
        default: break
        }
        var numeric = token
        if numeric.hasSuffix("n"), numeric.dropLast().allSatisfy({ $0.isNumber || $0 == "-" }) { numeric.removeLast() }
        if let d = Double(numeric), numeric.first.map({ $0.isNumber || $0 == "-" || $0 == "." }) == true {
            return .number(d)
        }
        return .string(token)
    }
}
