import DoctorIngest
import DoctorModel
import Foundation

/// Facts an application prints about its own setup (`base_url=…`, `openai 1.54.4`,
/// `HTTPS_PROXY=…`, `api_key=…`), read from lines that are not SDK debug messages.
///
/// Each reader is guarded by a byte-level `contains` before any String work, as they run on
/// every application line.
enum PyAppFacts {
    /// The configured base URL: `base_url=http://…`, `base_url: '…'`, `OPENAI_BASE_URL=…`,
    /// `'base_url': '…'`.
    static func baseURL(in text: String) -> String? {
        guard ByteSearch.contains(text, "base_url") || ByteSearch.contains(text, "BASE_URL") else { return nil }
        for key in ["base_url", "BASE_URL"] {
            var search = text.startIndex..<text.endIndex
            while let r = text.range(of: key, range: search) {
                search = r.upperBound..<text.endIndex
                if let v = value(after: r.upperBound, in: text), v.contains("://") || v.hasPrefix("/") || v.hasPrefix("localhost") {
                    return v
                }
            }
        }
        return nil
    }

    /// The value after `key`: skips a closing quote, `=`/`:` and spaces, an opening quote;
    /// ends at whitespace, a quote, `,`, `)` or a `}` it did not open (a format string's field,
    /// `http://host:{}/v1`, is part of the value).
    static func value(after i: String.Index, in text: String) -> String? {
        var j = i
        var seps = 0
        while j < text.endIndex, "'\"=: ".contains(text[j]), seps < 6 { j = text.index(after: j); seps += 1 }
        guard seps > 0, j < text.endIndex else { return nil }
        var open = 0
        let v = text[j...].prefix { c in
            if c == "{" { open += 1; return true }
            if c == "}" && open > 0 { open -= 1; return true }
            return !" \t'\",)}".contains(c)
        }
        guard !v.isEmpty, v != "None", v != "null" else { return nil }
        return String(v)
    }

    /// The SDK version an app printed: `openai 1.54.4`, `sdk=openai-python 1.54.4`,
    /// `openai==2.8.1`, `OpenAI/Python 1.109.1`, `openai version 3.57.0`.
    static func sdkVersion(in text: String) -> String? {
        guard ByteSearch.contains(text, "openai") || ByteSearch.contains(text, "OpenAI") else { return nil }
        var copy = text
        if let v = copy.withUTF8({ asciiSDKVersion($0) }) { return v }
        return characterSDKVersion(in: text)
    }

    /// `sdkVersion` on Characters of the lowercased line, for any text.
    static func characterSDKVersion(in text: String) -> String? {
        let lower = text.lowercased()
        var search = lower.startIndex..<lower.endIndex
        while let r = lower.range(of: "openai", range: search) {
            search = r.upperBound..<lower.endIndex
            var rest = lower[r.upperBound...]
            for suffix in ["-python", "_python", "/python", " python"] where rest.hasPrefix(suffix) {
                rest = rest.dropFirst(suffix.count)
            }
            if rest.hasPrefix(" version") { rest = rest.dropFirst(8) }
            let seps = rest.prefix { " =:/v@".contains($0) }
            guard !seps.isEmpty, seps.count <= 3 else { continue }
            rest = rest.dropFirst(seps.count)
            let version = rest.prefix { $0.isNumber || $0 == "." }
            let parts = version.split(separator: ".")
            if parts.count >= 2, parts.allSatisfy({ !$0.isEmpty }), !version.hasSuffix(".") {
                return String(version)
            }
        }
        return nil
    }

    /// `sdkVersion` on the bytes of an ASCII line (each byte a Character, lowercasing ASCII
    /// letters only): `.some(nil)` when the line names no version; nil when the line is not
    /// ASCII (or holds a line feed, so `\r\n` would be one Character), which takes the
    /// Character path.
    static func asciiSDKVersion(_ u: UnsafeBufferPointer<UInt8>) -> String?? {
        guard ByteSearch.isASCII(u), !u.contains(0x0A) else { return nil }
        func lower(_ i: Int) -> UInt8 { let b = u[i]; return b >= 0x41 && b <= 0x5A ? b | 0x20 : b }
        func starts(_ word: StaticString, at i: Int) -> Bool {
            let n = word.utf8CodeUnitCount
            guard i + n <= u.count else { return false }
            for k in 0..<n where lower(i + k) != word.utf8Start[k] { return false }
            return true
        }
        var from = 0
        while from + 6 <= u.count {
            // The next "openai", case folded (the Character path searches the lowercased line).
            var at = from
            while at + 6 <= u.count && !starts("openai", at: at) { at += 1 }
            guard at + 6 <= u.count else { break }
            from = at + 6
            var i = from
            if starts("-python", at: i) { i += 7 }
            if starts("_python", at: i) { i += 7 }
            if starts("/python", at: i) { i += 7 }
            if starts(" python", at: i) { i += 7 }
            if starts(" version", at: i) { i += 8 }
            var seps = 0
            while i + seps < u.count, [0x20, 0x3D, 0x3A, 0x2F, 0x76, 0x40].contains(lower(i + seps)) { seps += 1 }  // " =:/v@"
            guard seps > 0, seps <= 3 else { continue }
            i += seps
            var end = i
            while end < u.count, (0x30...0x39).contains(u[end]) || u[end] == 0x2E { end += 1 }
            // `split(separator: ".")` drops empty parts: two non-empty parts, not ending in a dot.
            var parts = 0, inPart = false
            for k in i..<end {
                if u[k] == 0x2E { inPart = false } else if !inPart { inPart = true; parts += 1 }
            }
            if parts >= 2, u[end - 1] != 0x2E {
                return .some(String(decoding: UnsafeBufferPointer(rebasing: u[i..<end]), as: UTF8.self))
            }
        }
        return .some(nil)
    }

    /// A proxy the environment or the app configured: (`proxy-env` or `proxy-config`, value).
    static func proxy(in text: String) -> (name: SignalName, value: String)? {
        guard ByteSearch.contains(text, "_PROXY") || ByteSearch.contains(text, "_proxy") || ByteSearch.contains(text, "proxy") else { return nil }
        for key in ["HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "https_proxy", "http_proxy", "all_proxy"] {
            if let r = text.range(of: key), let v = value(after: r.upperBound, in: text) { return (.proxyEnv, v) }
        }
        for key in ["proxies", "proxy"] {
            var search = text.startIndex..<text.endIndex
            while let r = text.range(of: key, range: search) {
                search = r.upperBound..<text.endIndex
                if let v = value(after: r.upperBound, in: text), v.contains("://") { return (.proxyConfig, v) }
            }
        }
        return nil
    }

    /// A key the app printed or a request header carried: `api_key=sk-…`, `'api_key': '…'`,
    /// `OPENAI_API_KEY=…`, `Authorization: Bearer …`. SDK-redacted values are ignored.
    static func credential(in text: String) -> String? {
        guard ByteSearch.contains(text, "api_key") || ByteSearch.contains(text, "API_KEY") || ByteSearch.contains(text, "Bearer ") else { return nil }
        if let r = text.range(of: "Bearer ") {
            let v = text[r.upperBound...].prefix { !" \t'\",)}".contains($0) }
            if isKey(v) { return String(v) }
        }
        for key in ["api_key", "API_KEY"] {
            if let r = text.range(of: key), let v = value(after: r.upperBound, in: text), isKey(v[...]) { return v }
        }
        return nil
    }

    static func credential(fromHeaders headers: [Header]) -> String? {
        for name in ["authorization", "api-key", "x-api-key"] {
            guard let v = headers.value(name) else { continue }
            let token = v.hasPrefix("Bearer ") ? String(v.dropFirst(7)) : v
            if isKey(token[...]) { return token }
        }
        return nil
    }

    private static func isKey(_ v: Substring) -> Bool {
        v.count >= 8 && !v.hasPrefix("<") && !v.contains("***") && v.lowercased() != "redacted"
    }
}

extension PyAppFacts {
    /// Model ids from an app line that prints a list of models as a Python list at its end
    /// (`model list refreshed: 2 models ['a', 'b']`, `models: []`); nil for other lines.
    /// - Complexity: O(n); a byte test first, the literal parser only on candidate lines.
    static func listedModels(in text: String) -> [String]? {
        // A list closes the line: its last byte is `]` (checked first, as the lines that name
        // models are many and most hold no list; the Character test below still decides).
        guard text.utf8.last == UInt8(ascii: "]"), ByteSearch.contains(text, "models") else { return nil }
        let open: String.Index
        var copy = text
        // ASCII lines (nearly all) are read on bytes; Foundation's case-insensitive search
        // folds more than ASCII, so other lines keep it.
        let ascii: String.Index?? = copy.withUTF8 { u in
            guard ByteSearch.isASCII(u) else { return nil }
            guard u.last == UInt8(ascii: "]"), let o = u.lastIndex(of: UInt8(ascii: "[")) else { return .some(nil) }
            let word: [UInt8] = Array("models".utf8)
            // The last "models" in the line must end before the list opens.
            var i = u.count - word.count
            while i >= 0 {
                var k = 0
                while k < word.count && (u[i + k] | 0x20) == word[k] { k += 1 }
                if k == word.count { break }
                i -= 1
            }
            guard i >= 0, i + word.count <= o else { return .some(nil) }
            return .some(text.utf8.index(text.utf8.startIndex, offsetBy: o))
        }
        if let ascii {
            guard let o = ascii else { return nil }
            open = o
        } else {
            guard text.hasSuffix("]"), let o = text.lastIndex(of: "[") else { return nil }
            // Only the list that closes the line, after the word "models".
            guard let word = text.range(of: "models", options: [.backwards, .caseInsensitive]), word.upperBound <= o else { return nil }
            open = o
        }
        guard let v = PythonLiteral.parse(text[open...]), let items = v.array else { return nil }
        let ids = items.compactMap(\.string)
        // On an ASCII line the space test is a byte test (`contains(" ")` is Foundation's
        // search, bridged for every id of every list line).
        let spaced: (String) -> Bool = ascii != nil ? { $0.utf8.contains(0x20) } : { $0.contains(" ") }
        guard ids.count == items.count, ids.allSatisfy({ !$0.isEmpty && !spaced($0) }) else { return nil }
        return ids
    }
}
